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

    private final Map<String, ?> properties;
    private final UnaryOperator<String> environment;
    private RegistrationSettings settings;
    private MsalTokenSource source;
    private List<String> fingerprint;

    ReloadingTokenSource(RegistrationSettings settings, Map<String, ?> properties, UnaryOperator<String> environment) throws AuthException {
        this.properties = properties;
        this.environment = environment;
        this.settings = settings;
        this.source = new MsalTokenSource(settings);
        this.fingerprint = fingerprint(properties);
    }

    @Override
    public AccessToken fetch(String scope) throws AuthException {
        MsalTokenSource current;
        synchronized (this) {
            List<String> now = fingerprint(properties);
            if (!now.equals(fingerprint)) {
                RegistrationSettings reread = RegistrationSettings.parse(properties, environment);
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

    private static List<String> fingerprint(Map<String, ?> properties) {
        List<String> out = new ArrayList<>();
        for (String key : List.of("clientSecretFile", "certificateFile", "certificatePasswordFile")) {
            String value = SecretSources.text(properties.get(key));
            if (!value.isEmpty()) {
                out.add(key + "=" + stamp(Path.of(value)).orElse("missing"));
            }
        }
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
