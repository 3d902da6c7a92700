package io.nexchange.nextcloud.internal;

import io.nexchange.api.Account;
import io.nexchange.api.auth.Secret;
import io.nexchange.api.source.StoreException;
import io.nexchange.nextcloud.credentials.DavCredentials;
import io.nexchange.nextcloud.credentials.DavLogin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/** {@link ConfiguredCredentials} as a service, ranked low so that a credential database bundle takes precedence. */
@Component(service = DavCredentials.class, configurationPid = "io.nexchange.nextcloud.credentials",
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = "service.ranking:Integer=-100")
@Designate(ocd = ConfiguredCredentialsConfiguration.class)
public final class ConfiguredCredentialsComponent implements DavCredentials {
    private final ConfiguredCredentials credentials;

    @Activate
    public ConfiguredCredentialsComponent(ConfiguredCredentialsConfiguration config) throws IOException {
        Optional<DavLogin> service = Optional.empty();
        String user = config.serviceAccountUser().strip();
        if (!user.isEmpty()) {
            String password = config.serviceAccountPasswordFile().isBlank() ? config.serviceAccountPassword()
                    : Files.readString(Path.of(config.serviceAccountPasswordFile().strip()), StandardCharsets.UTF_8).strip();
            if (password.isEmpty()) {
                throw new IllegalArgumentException("io.nexchange.nextcloud.credentials: service account '" + user + "' has no password"
                        + " (set serviceAccountPasswordFile or serviceAccountPassword)");
            }
            service = Optional.of(new DavLogin(user, Secret.of(password)));
        }
        Optional<Path> folder = config.appPasswordDirectory().isBlank() ? Optional.empty() : Optional.of(Path.of(config.appPasswordDirectory().strip()));
        this.credentials = new ConfiguredCredentials(service, folder);
    }

    @Override
    public DavLogin login(Account account) throws StoreException {
        return credentials.login(account);
    }
}
