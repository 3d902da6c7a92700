/**
 * Per-user Nextcloud app passwords, encrypted at rest (AES-256-GCM), with a CSV import for operators.
 */
@Export
@Version("1.1.0")
package io.nexchange.state.credentials;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
