/**
 * Durable sync state: cursors, the per-item status of both sides, quarantined items, kept conflicts,
 * mailbox leases and operator settings.
 */
@Export
@Version("1.5.0")
package io.nexchange.api.state;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
