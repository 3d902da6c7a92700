/**
 * Microsoft Graph clients per app registration: {@link io.nexchange.graph.client.GraphClients} hands out a
 * {@code GraphServiceClient} whose tokens come from the registration's
 * {@link io.nexchange.api.auth.TokenProvider} and whose every request passes the throttling policy.
 */
@Export
@Version("1.2.0")
package io.nexchange.graph.client;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
