/**
 * Who the Nextcloud side logs in as for an account: {@link io.nexchange.nextcloud.credentials.DavCredentials}
 * looks up a login name and an app password per {@link io.nexchange.api.Account}. This bundle ships a
 * configuration-based implementation; a bundle with a credential database registers its own (with a higher
 * service ranking) and the store picks it up.
 */
@Export
@Version("1.0.0")
package io.nexchange.nextcloud.credentials;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
