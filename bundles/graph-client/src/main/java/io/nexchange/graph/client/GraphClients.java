package io.nexchange.graph.client;

import com.microsoft.graph.serviceclient.GraphServiceClient;
import io.nexchange.api.auth.AuthException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Graph clients, one per app registration. Each client sends {@code Authorization: Bearer} tokens from the
 * {@link io.nexchange.api.auth.TokenProvider} service whose {@code nexchange.registration} property names the
 * registration, passes every request (also each inner request of a {@code $batch}) through the
 * {@link io.nexchange.api.throttle.ThrottlePolicy} keyed by (registration, mailbox in the path
 * {@code /users/{mailbox}/...}), and does not retry by itself: a throttled request comes back as a 429
 * (sent, or answered locally when the policy admits nothing within its wait) for the caller to reschedule.
 *
 * <p>Address mailboxes by primary SMTP address in request paths, so that the throttling key matches.
 */
@ProviderType
public interface GraphClients {

    /**
     * The client of one registration. Clients are cached; a token failure surfaces from a request as a
     * {@link GraphTokenException} carrying the {@link AuthException}.
     *
     * @throws AuthException with {@link io.nexchange.api.auth.AuthProblem#CONFIGURATION_INVALID} if no
     *     TokenProvider of that registration is registered
     */
    GraphServiceClient forRegistration(String registration) throws AuthException;

    /** The Graph base URL requests go to, e.g. {@code https://graph.microsoft.com/v1.0}. */
    String baseUrl();
}
