/**
 * Which mailboxes exist and which Nextcloud account each maps to.
 */
@Export
@Version("1.0.0")
package io.nexchange.api.directory;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
