/**
 * A read-only view of the sync state for operators (status page, console): pairs, item counts,
 * cursors, last commit times and leases per mailbox.
 */
@Export
@Version("1.0.0")
package io.nexchange.state.overview;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
