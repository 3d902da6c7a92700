package io.nexchange.engine.internal;

import io.nexchange.api.Account;
import io.nexchange.api.Mailbox;
import io.nexchange.api.directory.AccountDirectory;
import io.nexchange.api.directory.DirectoryException;
import io.nexchange.api.directory.Resolution;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps mailboxes to Nextcloud accounts by a CSV file: one {@code primary_smtp,nextcloud_user_id} line per mailbox
 * ({@code #} comments, blank lines and a header line starting with {@code primary_smtp} are skipped). A mailbox listed
 * twice with different users is ambiguous, not guessed. The file is re-read when its modification time changes.
 */
public final class CsvAccountDirectory implements AccountDirectory {
    private final Path file;
    private FileTime loadedAt;
    private Map<String, List<Account>> byMailbox = Map.of();

    public CsvAccountDirectory(Path file) {
        this.file = file;
    }

    @Override
    public synchronized Resolution resolve(Mailbox mailbox) throws DirectoryException {
        reloadIfChanged();
        return new Resolution(mailbox, byMailbox.getOrDefault(mailbox.primarySmtp(), List.of()));
    }

    private void reloadIfChanged() throws DirectoryException {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            if (modified.equals(loadedAt)) {
                return;
            }
            byMailbox = parse(Files.readAllLines(file, StandardCharsets.UTF_8));
            loadedAt = modified;
        } catch (IOException e) {
            throw new DirectoryException("The account mapping file " + file.toAbsolutePath() + " could not be read ("
                    + e.getMessage() + "); fix mappingFile in io.nexchange.engine.accounts.csv", e);
        }
    }

    static Map<String, List<Account>> parse(List<String> lines) throws DirectoryException {
        Map<String, List<Account>> map = new HashMap<>();
        int number = 0;
        for (String raw : lines) {
            number++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.toLowerCase(Locale.ROOT).startsWith("primary_smtp")) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (cells.length != 2 || cells[0].isBlank() || cells[1].isBlank()) {
                throw new DirectoryException("account mapping line " + number + " is not primary_smtp,nextcloud_user_id: '"
                        + line + "'", null);
            }
            Account account;
            try {
                account = new Account(cells[1].strip(), cells[0].strip(), "");
            } catch (IllegalArgumentException e) {
                throw new DirectoryException("account mapping line " + number + ": " + e.getMessage(), e);
            }
            List<Account> accounts = map.computeIfAbsent(account.email(), k -> new ArrayList<>());
            if (accounts.stream().noneMatch(a -> a.userId().equals(account.userId()))) {
                accounts.add(account);
            }
        }
        return map;
    }
}
