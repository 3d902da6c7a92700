package io.nexchange.auth.entra.internal;

import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import io.nexchange.api.auth.AccessToken;
import io.nexchange.api.auth.AuthException;
import io.nexchange.api.auth.AuthProblem;
import io.nexchange.api.auth.Secret;
import java.net.MalformedURLException;
import java.util.Set;

/**
 * One msal4j {@link ConfidentialClientApplication} per configuration of a registration. It asks with
 * {@code skipCache}: {@link TokenKeeper} is the cache, because msal4j's only hands out tokens with more
 * than 300 s left (useless for short-lived tokens) and, against an authority with a port, never finds
 * what it stored.
 */
final class MsalTokenSource implements TokenKeeper.Fetcher {
    private final RegistrationSettings settings;
    private final ConfidentialClientApplication app;

    MsalTokenSource(RegistrationSettings settings) throws AuthException {
        this.settings = settings;
        try {
            ConfidentialClientApplication.Builder builder = ConfidentialClientApplication
                    .builder(settings.clientId(), ClientCredentials.of(settings))
                    .authority(settings.authority())
                    .logPii(false);
            if (settings.cloud() == Cloud.CUSTOM) {
                // instance discovery would ask login.microsoftonline.com about a host it does not know
                builder.instanceDiscovery(false);
            }
            if (settings.truststore().isPresent()) {
                builder.sslSocketFactory(TlsTrust.sslContext(settings).getSocketFactory());
            }
            this.app = builder.build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new AuthException(settings.registration(), AuthProblem.CONFIGURATION_INVALID, "the authority " + settings.authority()
                    + " is not a valid Entra authority (" + e.getClass().getSimpleName() + ")", null);
        }
    }

    @Override
    public AccessToken fetch(String scope) throws AuthException {
        String asked = settings.cloud().translateScope(scope);
        try {
            IAuthenticationResult result = app.acquireToken(ClientCredentialParameters.builder(Set.of(asked)).skipCache(true).build()).get();
            String token = result.accessToken();
            return new AccessToken(Secret.of(token), result.expiresOnDate().toInstant(), JwtClaims.of(token).roles());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuthException(settings.registration(), AuthProblem.SERVICE_UNAVAILABLE, "interrupted while waiting for a token", null);
        } catch (Exception e) {
            throw EntraErrors.map(settings, asked, e);
        }
    }
}
