package io.nexchange.auth.entra.internal;

import io.nexchange.api.auth.AccessToken;
import io.nexchange.api.auth.AuthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The msal4j source of a registration that notices a secret rotated in its file (clientSecretFile,
 * certificateFile, certificatePasswordFile: e.g. a Kubernetes secret mount) without the .cfg being
 * touched: before each fetch (once an hour in steady state, every retry after a failure) the files'
 * size and modification time are compared and the settings re-read when they changed.
 */
final class ReloadingTokenSource implements TokenKeeper.Fetcher {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadingTokenSource.class);

    private final EntraRegistrationConfiguration config;
    private final UndeclaredKeys undeclared;
    private final UnaryOperator<String> environment;
    private RegistrationSettings settings;
    private MsalTokenSource source;
    private List<String> fingerprint;

    ReloadingTokenSource(RegistrationSettings settings, EntraRegistrationConfiguration config, UndeclaredKeys undeclared,
            UnaryOperator<String> environment) throws AuthException {
        this.config = config;
        this.undeclared = undeclared;
        this.environment = environment;
        this.settings = settings;
        this.source = new MsalTokenSource(settings);
        this.fingerprint = fingerprint(config);
    }

    @Override
    public AccessToken fetch(String scope) throws AuthException {
        MsalTokenSource current;
        synchronized (this) {
            List<String> now = fingerprint(config);
            if (!now.equals(fingerprint)) {
                RegistrationSettings reread = RegistrationSettings.parse(config, undeclared, environment);
                source = new MsalTokenSource(reread);
                settings = reread;
                fingerprint = now;
                LOG.info("Registration '{}': a credential file changed; using it from now on", reread.registration());
            }
            current = source;
        }
        return current.fetch(scope);
    }

    synchronized RegistrationSettings settings() {
        return settings;
    }

    private static List<String> fingerprint(EntraRegistrationConfiguration config) {
        List<String> out = new ArrayList<>();
        Map<String, String> files = Map.of("clientSecretFile", SecretSources.text(config.clientSecretFile()),
                "certificateFile", SecretSources.text(config.certificateFile()),
                "certificatePasswordFile", SecretSources.text(config.certificatePasswordFile()));
        new java.util.TreeMap<>(files).forEach((key, value) -> {
            if (!value.isEmpty()) {
                out.add(key + "=" + stamp(Path.of(value)).orElse("missing"));
            }
        });
        return out;
    }

    private static Optional<String> stamp(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return Optional.of(a.size() + "@" + a.lastModifiedTime().toMillis());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
