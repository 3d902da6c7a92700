/**
 * Credentials this bundle offers besides {@link io.nexchange.api.auth.TokenProvider}: the service
 * account of an on-premises Exchange server's EWS endpoint ({@link io.nexchange.auth.entra.EwsServiceAccount}),
 * configured beside the Entra app registrations.
 */
@Export
@Version("1.0.0")
package io.nexchange.auth.entra;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
