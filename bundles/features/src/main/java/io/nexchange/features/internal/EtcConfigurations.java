package io.nexchange.features.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits until FileInstall has turned every etc/*.cfg and *.config file into a configuration. Boot features
 * are installed only then: a component whose bundle starts while its configuration is still being loaded
 * was seen to run with the defaults of its metatype instead of its file (the sandbox tenant on another seed,
 * the operator endpoint on its default port).
 */
final class EtcConfigurations {
    private static final Logger LOG = LoggerFactory.getLogger(EtcConfigurations.class);
    private static final String FILENAME = "felix.fileinstall.filename";

    private final Path etc;
    private final ConfigurationAdmin configurationAdmin;

    EtcConfigurations(Path etc, ConfigurationAdmin configurationAdmin) {
        this.etc = etc;
        this.configurationAdmin = configurationAdmin;
    }

    void awaitLoaded(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        Set<String> missing = missing();
        while (!missing.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            missing = missing();
        }
        if (!missing.isEmpty()) {
            LOG.warn("Configuration files not loaded after {} s, installing the boot features anyway: {}",
                    within.toSeconds(), missing);
        }
    }

    /**
     * File URIs in etc/ that no configuration was loaded from yet. FileInstall names a configuration by the
     * canonical path of its file, so an etc/ that is a symbolic link (the Debian package's
     * /var/lib/nexchange/etc -> /etc/nexchange) is matched through the real path as well.
     */
    Set<String> missing() {
        Set<String> loaded = new HashSet<>();
        try {
            Configuration[] configurations = configurationAdmin.listConfigurations("(" + FILENAME + "=*)");
            if (configurations != null) {
                for (Configuration configuration : configurations) {
                    Object name = configuration.getProperties() == null ? null : configuration.getProperties().get(FILENAME);
                    if (name != null) {
                        loaded.add(name.toString());
                        loaded.add(name.toString().replace("file:/", "file:///"));
                    }
                }
            }
        } catch (IOException | InvalidSyntaxException e) {
            return Set.of();
        }
        Set<String> missing = new HashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(etc, "*.{cfg,config}")) {
            for (Path file : entries) {
                String uri = file.toUri().toString();
                if (!loaded.contains(uri) && !loaded.contains(file.toRealPath().toUri().toString())) {
                    missing.add(uri);
                }
            }
        } catch (IOException e) {
            return Set.of();
        }
        return missing;
    }
}
