package io.nexchange.benchmarks;

import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import io.nexchange.api.auth.AccessToken;
import io.nexchange.api.auth.AuthException;
import io.nexchange.api.auth.AuthProblem;
import io.nexchange.api.auth.Secret;
import io.nexchange.api.auth.TokenProvider;
import java.time.Instant;
import java.util.Set;

/**
 * A TokenProvider over msal4j for the sandbox's demo app, as in the Graph stores' tests (auth-entra is the product's,
 * configured through OSGi properties). Keeps the token until 5 minutes before it expires, as msal4j does against real
 * Entra: its own cache misses for an authority with a port (see the sandbox README).
 */
final class MsalTokens implements TokenProvider {
    private final String registration;
    private final ConfidentialClientApplication msal;
    private AccessToken cached;

    MsalTokens(String registration, ConfidentialClientApplication msal) {
        this.registration = registration;
        this.msal = msal;
    }

    @Override
    public String registration() {
        return registration;
    }

    @Override
    public synchronized AccessToken token(String scope) throws AuthException {
        if (cached != null && cached.expiresOn().isAfter(Instant.now().plusSeconds(300))) {
            return cached;
        }
        try {
            IAuthenticationResult result = msal.acquireToken(ClientCredentialParameters.builder(Set.of(scope)).build()).get();
            cached = new AccessToken(Secret.of(result.accessToken()), result.expiresOnDate().toInstant(), Set.of());
            return cached;
        } catch (Exception e) {
            throw new AuthException(registration, AuthProblem.SERVICE_UNAVAILABLE, e.getMessage(), e);
        }
    }
}
