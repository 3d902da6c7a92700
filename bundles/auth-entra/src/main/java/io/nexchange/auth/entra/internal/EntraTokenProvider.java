package io.nexchange.auth.entra.internal;

import io.nexchange.api.auth.AccessToken;
import io.nexchange.api.auth.AuthException;
import io.nexchange.api.auth.TokenProvider;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link TokenProvider} of one app registration. A new configuration (a rotated secret) builds a new
 * msal4j application and cache and swaps it in while the service stays registered; when the identity is
 * unchanged the tokens already held are kept in use while the new credential fetches fresh ones.
 */
final class EntraTokenProvider implements TokenProvider, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EntraTokenProvider.class);

    /** Either a working configuration with its cache, or the reason there is none. */
    record State(String registration, EntraRegistrationConfiguration config, UndeclaredKeys undeclared,
            Optional<RegistrationSettings> settings, Optional<TokenKeeper> keeper, Optional<AuthException> problem) {
    }

    private final UnaryOperator<String> environment;
    private final Clock clock;
    private final AtomicReference<State> state = new AtomicReference<>();

    EntraTokenProvider(EntraRegistrationConfiguration config, UndeclaredKeys undeclared, UnaryOperator<String> environment,
            Clock clock) {
        this.environment = environment;
        this.clock = clock;
        configure(config, undeclared);
    }

    /** Applies a (new) configuration: validates it, logs what is wrong in the operator's words. */
    void configure(EntraRegistrationConfiguration config, UndeclaredKeys undeclared) {
        String registration = RegistrationSettings.registrationName(config.registration(), undeclared);
        State next;
        try {
            RegistrationSettings settings = RegistrationSettings.parse(config, undeclared, environment);
            TokenKeeper keeper = new TokenKeeper(registration, new ReloadingTokenSource(settings, config, undeclared, environment),
                    settings.refreshAhead(), clock);
            State previous = state.get();
            boolean seeded = false;
            if (previous != null && previous.keeper().isPresent() && previous.settings().get().sameIdentity(settings)) {
                for (String scope : previous.keeper().get().entries().keySet()) {
                    Optional<TokenKeeper.Held> held = previous.keeper().get().held(scope);
                    if (held.isPresent()) {
                        keeper.seed(scope, held.get());
                        seeded = true;
                    }
                }
            }
            for (String scope : settings.scopes()) {
                // start-up validation beyond the configuration: the first token shows consent and permissions
                keeper.prefetch(scope).thenAccept(token -> AuthCheck.roleFindings(registration, isEws(scope), token.roles()).stream()
                        .filter(f -> !f.ok()).forEach(f -> LOG.error(f.text())));
            }
            next = new State(registration, config, undeclared, Optional.of(settings), Optional.of(keeper), Optional.empty());
            LOG.info("Registration '{}': {}{}", registration, settings.describe(), seeded ? " (reconfigured; tokens kept while fresh ones are fetched)" : "");
        } catch (AuthException e) {
            LOG.error(e.getMessage());
            next = new State(registration, config, undeclared, Optional.empty(), Optional.empty(), Optional.of(e));
        }
        State old = state.getAndSet(next);
        if (old != null) {
            old.keeper().ifPresent(TokenKeeper::close);
        }
    }

    static boolean isEws(String scope) {
        return scope.toLowerCase(java.util.Locale.ROOT).contains("outlook.");
    }

    /** The settings as of now: a credential file may have changed since the configuration was applied. */
    Optional<RegistrationSettings> currentSettings() throws AuthException {
        State s = state.get();
        if (s.problem().isPresent()) {
            return Optional.empty();
        }
        return Optional.of(RegistrationSettings.parse(s.config(), s.undeclared(), environment));
    }

    State state() {
        return state.get();
    }

    @Override
    public String registration() {
        return state.get().registration();
    }

    @Override
    public AccessToken token(String scope) throws AuthException {
        State s = state.get();
        if (s.problem().isPresent()) {
            throw s.problem().get();
        }
        try {
            return s.keeper().get().token(scope);
        } catch (AuthException e) {
            if (state.get() != s) {
                return token(scope); // reconfigured while waiting: ask the new configuration
            }
            throw e;
        }
    }

    @Override
    public void close() {
        State s = state.get();
        s.keeper().ifPresent(TokenKeeper::close);
    }

    @Override
    public String toString() {
        return "EntraTokenProvider[" + registration() + "]";
    }
}
