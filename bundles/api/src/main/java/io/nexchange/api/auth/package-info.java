/**
 * Access tokens for Microsoft services, per app registration, and the operator-facing errors of getting them.
 */
@Export
@Version("1.0.0")
package io.nexchange.api.auth;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
