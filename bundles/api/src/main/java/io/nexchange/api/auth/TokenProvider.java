package io.nexchange.api.auth;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Tokens of one app registration (one "admin account"). One service per registration, with the
 * service property {@value #REGISTRATION} naming it; throttling budgets are kept per registration.
 *
 * <p>Thread-safe. In steady state {@link #token(String)} returns a cached token without blocking;
 * tokens are refreshed ahead of expiry and concurrent callers share one fetch.
 */
@ProviderType
public interface TokenProvider {
    /** Service property: the registration's name, as configured. */
    String REGISTRATION = "nexchange.registration";

    /** Scope of Microsoft Graph. */
    String GRAPH_SCOPE = "https://graph.microsoft.com/.default";
    /** Scope of Exchange Online EWS. */
    String EWS_SCOPE = "https://outlook.office365.com/.default";

    /** The registration's name. */
    String registration();

    /**
     * A valid token for {@code scope}; called before every request by every worker. Blocks only when no cached token
     * is valid (one token request, shared by concurrent callers).
     *
     * @throws AuthException naming the setup step that fixes the failure (its {@link AuthProblem}); the token and the
     *     client secret never appear in it
     */
    AccessToken token(String scope) throws AuthException;
}
