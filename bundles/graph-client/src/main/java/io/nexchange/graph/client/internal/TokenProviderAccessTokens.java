package io.nexchange.graph.client.internal;

import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import io.nexchange.api.auth.AuthException;
import io.nexchange.api.auth.AuthProblem;
import io.nexchange.api.auth.TokenProvider;
import io.nexchange.graph.client.GraphTokenException;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Kiota's token hook over the TokenProvider SPI. Used instead of graph-core's AzureIdentityAccessTokenProvider,
 * which sends no token to hosts outside Microsoft's list (the sandbox) and needs azure-identity.
 *
 * <p>The provider is looked up on every call, so a TokenProvider that is re-registered (new configuration)
 * takes effect without rebuilding the client. Only the configured Graph host gets a token.
 */
final class TokenProviderAccessTokens implements AccessTokenProvider {

    private final String registration;
    private final Function<String, TokenProvider> providers;
    private final AllowedHostsValidator allowedHosts;

    TokenProviderAccessTokens(String registration, Function<String, TokenProvider> providers, String graphHost) {
        this.registration = Objects.requireNonNull(registration, "registration");
        this.providers = Objects.requireNonNull(providers, "providers");
        this.allowedHosts = new AllowedHostsValidator(graphHost);
    }

    @Override
    public String getAuthorizationToken(URI uri, Map<String, Object> additionalAuthenticationContext) {
        if (!allowedHosts.isUrlHostValid(uri)) {
            return "";
        }
        TokenProvider provider = providers.apply(registration);
        if (provider == null) {
            throw new GraphTokenException(new AuthException(registration, AuthProblem.CONFIGURATION_INVALID,
                    "no TokenProvider service for this registration is active"));
        }
        try {
            return provider.token(TokenProvider.GRAPH_SCOPE).value().reveal();
        } catch (AuthException e) {
            throw new GraphTokenException(e);
        }
    }

    @Override
    public AllowedHostsValidator getAllowedHostsValidator() {
        return allowedHosts;
    }
}
