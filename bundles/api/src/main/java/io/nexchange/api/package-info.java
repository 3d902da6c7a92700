/**
 * Identities shared by both sides: the Exchange {@link io.nexchange.api.Mailbox}, the Nextcloud
 * {@link io.nexchange.api.Account}, and the collections they hold.
 */
@Export
@Version("1.0.0")
package io.nexchange.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
