package io.nexchange.engine.internal;

import io.nexchange.api.Mailbox;
import io.nexchange.api.auth.Secret;
import io.nexchange.api.directory.AccountDirectory;
import io.nexchange.api.directory.DirectoryException;
import io.nexchange.api.directory.Resolution;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/** Nextcloud's provisioning API as the AccountDirectory service; active only when configured. */
@Component(name = "io.nexchange.engine.accounts.ocs", configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = OcsAccountDirectoryConfiguration.class)
public final class OcsAccountDirectoryComponent implements AccountDirectory {
    private final OcsAccountDirectory directory;

    @Activate
    public OcsAccountDirectoryComponent(OcsAccountDirectoryConfiguration config, BundleContext context) throws IOException {
        Path passwordFile = InstanceDirectory.resolve(context, config.adminPasswordFile());
        Secret password;
        try {
            password = Secret.of(Files.readString(passwordFile, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new IOException("adminPasswordFile " + passwordFile.toAbsolutePath() + " of io.nexchange.engine.accounts.ocs "
                    + "cannot be read: " + e.getMessage(), e);
        }
        this.directory = new OcsAccountDirectory(URI.create(config.baseUrl()), config.adminUser(), password,
                Duration.ofSeconds(config.refreshSeconds()), Duration.ofSeconds(config.timeoutSeconds()), Clock.systemUTC());
    }

    @Override
    public Resolution resolve(Mailbox mailbox) throws DirectoryException {
        return directory.resolve(mailbox);
    }
}
