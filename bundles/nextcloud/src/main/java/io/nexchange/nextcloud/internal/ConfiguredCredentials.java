package io.nexchange.nextcloud.internal;

import io.nexchange.api.Account;
import io.nexchange.api.auth.Secret;
import io.nexchange.api.source.StoreException;
import io.nexchange.nextcloud.credentials.DavCredentials;
import io.nexchange.nextcloud.credentials.DavLogin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Logins from configuration: each account logs in as itself with the app password kept in
 * {@code <appPasswordDirectory>/<userId>} (read on every lookup, so a rotated password needs no restart),
 * or, when a service account is configured, every account uses that one login (a single-user setup, the
 * demo, or a server where the service account may reach the users' collections).
 */
public final class ConfiguredCredentials implements DavCredentials {
    private final Optional<DavLogin> serviceAccount;
    private final Optional<Path> appPasswordDirectory;

    public ConfiguredCredentials(Optional<DavLogin> serviceAccount, Optional<Path> appPasswordDirectory) {
        this.serviceAccount = serviceAccount;
        this.appPasswordDirectory = appPasswordDirectory;
    }

    @Override
    public DavLogin login(Account account) throws StoreException {
        if (appPasswordDirectory.isPresent()) {
            Path file = appPasswordDirectory.get().resolve(fileName(account.userId()));
            try {
                String password = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!password.isEmpty()) {
                    return new DavLogin(account.userId(), Secret.of(password));
                }
            } catch (NoSuchFileException e) {
                // fall back to the service account, if any
            } catch (IOException e) {
                throw new StoreException("Cannot read the app password file " + file + " of Nextcloud account '" + account.userId() + "': " + e.getMessage(), false, e);
            }
        }
        return serviceAccount.orElseThrow(() -> new StoreException("No app password for Nextcloud account '" + account.userId() + "': "
                + appPasswordDirectory.map(d -> "put it in " + d.resolve(fileName(account.userId())) + ", or ").orElse("set appPasswordDirectory, or ")
                + "configure a service account in io.nexchange.nextcloud.credentials", false));
    }

    /** User ids are file names here: anything that could leave the folder is replaced. */
    static String fileName(String userId) {
        String safe = userId.replaceAll("[^A-Za-z0-9._@+-]", "_");
        return safe.startsWith(".") ? "_" + safe.substring(1) : safe;
    }
}
