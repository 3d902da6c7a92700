package io.nexchange.state.jdbc.internal;

import io.nexchange.state.credentials.CredentialException;
import io.nexchange.state.credentials.CredentialInfo;
import io.nexchange.state.credentials.CredentialStore;
import io.nexchange.state.credentials.CsvImportException;
import io.nexchange.state.credentials.CsvImportResult;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What {@code nexchange:credentials} does, on any {@link CredentialStore}: import a CSV file, list who has a
 * credential, remove one. Output and errors name users, lines and files, never a password. Failures are thrown
 * (the remote console then answers with an error status, so {@code bin/nexchange exec} fails too).
 */
final class CredentialsConsole {
    static final String USAGE = "usage: nexchange:credentials import FILE.csv | list | remove USERID|EMAIL | rotate-key [BATCH]\n"
            + "  FILE.csv: lines email,username,app_password (optional header line with exactly these names);"
            + " a relative path is resolved against the instance directory\n"
            + "  rotate-key: re-encrypts every stored credential under a new key while sync runs (BATCH rows per transaction,"
            + " default " + CredentialKeyRotation.DEFAULT_BATCH + "), then retires the old key\n";

    private final CredentialStore store;
    private final CredentialKeyRotation rotation;
    private final Path instanceDirectory;

    /** @param instanceDirectory where relative file names point (the runtime's {@code nexchange.base}) */
    CredentialsConsole(CredentialStore store, Path instanceDirectory) {
        this(store, store instanceof CredentialKeyRotation r ? r : null, instanceDirectory);
    }

    /** @param rotation the store's key rotation, or null if it has none */
    CredentialsConsole(CredentialStore store, CredentialKeyRotation rotation, Path instanceDirectory) {
        this.store = store;
        this.rotation = rotation;
        this.instanceDirectory = instanceDirectory;
    }

    String run(String... args) throws CredentialException {
        if (args.length == 1 && args[0].equals("list")) {
            return list();
        }
        if (args.length == 2 && args[0].equals("import")) {
            return importFile(args[1]);
        }
        if (args.length == 2 && args[0].equals("remove")) {
            return remove(args[1]);
        }
        if ((args.length == 1 || args.length == 2) && args[0].equals("rotate-key")) {
            return rotateKey(args.length == 2 ? args[1] : null);
        }
        return USAGE;
    }

    private String importFile(String name) throws CredentialException {
        Path file = instanceDirectory.resolve(name).toAbsolutePath().normalize();
        CsvImportResult result;
        try (Reader csv = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            result = store.importCsv(csv);
        } catch (CsvImportException e) {
            throw new CredentialException(file + ": " + e.getMessage(), e);
        } catch (NoSuchFileException e) {
            throw new CredentialException(file + ": no such file" + (Path.of(name).isAbsolute() ? ""
                    : " (a relative path is resolved against the instance directory " + instanceDirectory.toAbsolutePath().normalize() + ")"));
        } catch (AccessDeniedException e) {
            throw new CredentialException(file + ": not readable by the Nexchange service account; nothing was imported");
        } catch (CharacterCodingException e) {
            throw new CredentialException(file + ": not UTF-8 text (save the CSV as UTF-8); nothing was imported");
        } catch (IOException e) {
            // the reader's exceptions carry file names and OS reasons, never file content
            throw new CredentialException(file + ": cannot read it (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "); nothing was imported");
        }
        return String.format(Locale.ROOT, "imported %s: %d added, %d updated, %d unchanged; %d credentials stored%n"
                + "%s holds app passwords in plain text: delete it now%n",
                file, result.added(), result.replaced(), result.unchanged(), store.emails().size(), file.getFileName());
    }

    private String rotateKey(String batch) throws CredentialException {
        if (rotation == null) {
            throw new CredentialException("this credential store has no key rotation");
        }
        int size = CredentialKeyRotation.DEFAULT_BATCH;
        if (batch != null) {
            try {
                size = Integer.parseInt(batch.strip());
            } catch (NumberFormatException e) {
                size = 0;
            }
            if (size < 1 || size > 10_000) {
                throw new CredentialException("rotate-key BATCH must be a number from 1 to 10000 (rows per transaction), not '"
                        + batch + "'");
            }
        }
        KeyRotationResult result = rotation.rotateKey(size);
        String summary = result.summary(store instanceof JdbcCredentialStore j ? j.keyFile() : Path.of("credentials.key"),
                store instanceof JdbcCredentialStore j ? j.previousKeyFile() : Path.of("credentials.key.previous"));
        if (!result.retired()) {
            throw new CredentialException(summary);
        }
        return summary + "\n";
    }

    private String list() throws CredentialException {
        List<CredentialInfo> credentials = store.list();
        if (credentials.isEmpty()) {
            return "no credentials stored (import them with nexchange:credentials import FILE.csv)\n";
        }
        int emailWidth = Math.max(5, credentials.stream().mapToInt(c -> c.email().length()).max().orElse(0));
        int userWidth = Math.max(14, credentials.stream().mapToInt(c -> c.username().length()).max().orElse(0));
        String row = "%-" + emailWidth + "s  %-" + userWidth + "s  %s%n";
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, row, "EMAIL", "NEXTCLOUD USER", "SET/UPDATED"));
        for (CredentialInfo credential : credentials) {
            out.append(String.format(Locale.ROOT, row, credential.email(), credential.username(),
                    DateTimeFormatter.ISO_INSTANT.format(credential.updatedAt().truncatedTo(ChronoUnit.SECONDS))));
        }
        out.append(credentials.size()).append(credentials.size() == 1 ? " credential\n" : " credentials\n");
        return out.toString();
    }

    /**
     * By e-mail address (the store's key) or else by Nextcloud user id, which must then name exactly one
     * credential (user ids may look like addresses, hence the order).
     */
    private String remove(String who) throws CredentialException {
        String wanted = who.strip();
        List<CredentialInfo> stored = store.list();
        List<CredentialInfo> matches = stored.stream().filter(c -> c.email().equalsIgnoreCase(wanted)).collect(Collectors.toList());
        if (matches.isEmpty()) {
            matches = stored.stream().filter(c -> c.username().equalsIgnoreCase(wanted)).collect(Collectors.toList());
        }
        if (matches.isEmpty()) {
            throw new CredentialException("no credential stored for '" + wanted + "' (neither an e-mail address nor a Nextcloud"
                    + " user id in nexchange:credentials list)");
        }
        if (matches.size() > 1) {
            throw new CredentialException("Nextcloud user '" + wanted + "' has credentials under several e-mail addresses ("
                    + matches.stream().map(CredentialInfo::email).collect(Collectors.joining(", "))
                    + "): remove one by its e-mail address");
        }
        CredentialInfo match = matches.get(0);
        if (!store.remove(match.email())) {
            throw new CredentialException("no credential stored for '" + wanted + "' (removed meanwhile)");
        }
        return "removed the credential of " + match.email() + " (Nextcloud user " + match.username() + ")\n";
    }
}
