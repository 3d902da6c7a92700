package io.nexchange.state.jdbc.internal;

import io.nexchange.api.auth.Secret;
import io.nexchange.state.credentials.CredentialException;
import io.nexchange.state.credentials.CredentialInfo;
import io.nexchange.state.credentials.CredentialStore;
import io.nexchange.state.credentials.CsvImportException;
import io.nexchange.state.credentials.CsvImportResult;
import io.nexchange.state.credentials.NextcloudCredential;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Nextcloud app passwords in the {@code credentials} table, encrypted by {@link CredentialCipher}. The key
 * file is created on first use, unless the table already holds values encrypted with another key (then a
 * new key would only make them unreadable, so the missing file is reported instead).
 */
@Component(service = {CredentialStore.class, CredentialKeyRotation.class})
public final class JdbcCredentialStore implements CredentialStore, CredentialKeyRotation {
    private static final List<String> HEADER = List.of("email", "username", "app_password");
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JdbcCredentialStore.class);
    /** How often the key files are read again when a value names a key this instance does not hold (another rotated). */
    private static final long RELOAD_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);

    private final DataSource dataSource;
    private final Path keyFile;
    private final Clock clock;
    private final Dialect dialect;
    private volatile CredentialCipher cipher;
    /** Every key values may be under, by key id: the current one and, during a rotation, the previous one. */
    private volatile Map<String, CredentialCipher> keys = Map.of();
    private volatile long keysReadAt;
    private final Object rotation = new Object();

    @Activate
    public JdbcCredentialStore(@Reference StateDatabase database) throws CredentialException {
        this(database.dataSource(), database.credentialKeyFile());
    }

    public JdbcCredentialStore(DataSource dataSource, Path keyFile) throws CredentialException {
        this(dataSource, keyFile, Clock.systemUTC());
    }

    JdbcCredentialStore(DataSource dataSource, Path keyFile, Clock clock) throws CredentialException {
        this.dataSource = dataSource;
        this.keyFile = keyFile;
        this.clock = clock;
        try (Connection connection = dataSource.getConnection()) {
            this.dialect = Dialect.of(connection);
        } catch (SQLException e) {
            throw new CredentialException("cannot open the state database for credentials: " + Sql.reason(e), e);
        }
    }

    @Override
    public Optional<NextcloudCredential> find(String email) throws CredentialException {
        String normalized = normalize(email);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT username, key_id, secret_ciphertext FROM credentials WHERE email = ?")) {
            query.setString(1, normalized);
            for (int attempt = 0; ; attempt++) {
                try (ResultSet row = query.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    String username = row.getString(1);
                    String keyId = row.getString(2);
                    CredentialCipher key = key(keyId);
                    if (key == null && attempt == 0) {
                        continue; // a rotation may have re-encrypted the row and retired the key since it was read
                    }
                    Secret secret = (key == null ? cipher() : key).decrypt(row.getString(3), keyId, normalized, username);
                    return Optional.of(new NextcloudCredential(normalized, username, secret));
                }
            }
        } catch (SQLException e) {
            throw new CredentialException("cannot read the credential of " + normalized + ": " + Sql.reason(e), e);
        }
    }

    @Override
    public void put(NextcloudCredential credential) throws CredentialException {
        store(List.of(credential));
    }

    @Override
    public boolean remove(String email) throws CredentialException {
        String normalized = normalize(email);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement("DELETE FROM credentials WHERE email = ?")) {
            delete.setString(1, normalized);
            return delete.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new CredentialException("cannot remove the credential of " + normalized + ": " + Sql.reason(e), e);
        }
    }

    @Override
    public List<String> emails() throws CredentialException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT email FROM credentials ORDER BY email")) {
            List<String> emails = new ArrayList<>();
            while (rows.next()) {
                emails.add(rows.getString(1));
            }
            return emails;
        } catch (SQLException e) {
            throw new CredentialException("cannot list the stored credentials: " + Sql.reason(e), e);
        }
    }

    @Override
    public List<CredentialInfo> list() throws CredentialException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT email, username, updated_at FROM credentials ORDER BY email")) {
            List<CredentialInfo> list = new ArrayList<>();
            while (rows.next()) {
                list.add(new CredentialInfo(rows.getString(1), rows.getString(2), Sql.instant(rows.getObject(3))));
            }
            return list;
        } catch (SQLException e) {
            throw new CredentialException("cannot list the stored credentials: " + Sql.reason(e), e);
        }
    }

    @Override
    public CsvImportResult importCsv(Reader csv) throws CredentialException {
        List<CsvRecords.Row> rows;
        try {
            rows = CsvRecords.read(csv);
        } catch (CsvRecords.SyntaxException e) {
            throw new CsvImportException(List.of(e.getMessage()));
        } catch (IOException e) {
            throw new CredentialException("cannot read the CSV: " + e.getClass().getSimpleName() + " " + e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        Map<String, Integer> lineOfEmail = new HashMap<>();
        List<NextcloudCredential> credentials = new ArrayList<>();
        boolean first = true;
        for (CsvRecords.Row row : rows) {
            if (row.isBlank()) {
                continue;
            }
            if (first && isHeader(row.fields())) {
                first = false;
                continue;
            }
            first = false;
            List<String> fields = row.fields();
            if (fields.size() != 3) {
                problems.add("line " + row.line() + ": expected 3 fields (email,username,app_password), found " + fields.size());
                continue;
            }
            String email = fields.get(0).strip().toLowerCase(Locale.ROOT);
            String username = fields.get(1).strip();
            String password = fields.get(2).strip();
            boolean valid = true;
            if (email.isEmpty()) {
                problems.add("line " + row.line() + ", field email: empty");
                valid = false;
            } else if (!isEmail(email)) {
                // the content is not quoted: in a file with its columns mixed up, this field may hold a password
                problems.add("line " + row.line() + ", field email: not an e-mail address"
                        + (row.line() == 1 ? " (a header line must be exactly email,username,app_password)" : ""));
                valid = false;
            } else if (lineOfEmail.containsKey(email)) {
                problems.add("line " + row.line() + ", field email: the same address as line " + lineOfEmail.get(email));
                valid = false;
            } else {
                lineOfEmail.put(email, row.line());
            }
            if (username.isEmpty()) {
                problems.add("line " + row.line() + ", field username: empty");
                valid = false;
            }
            if (password.isEmpty()) {
                problems.add("line " + row.line() + ", field app_password: empty");
                valid = false;
            }
            if (valid) {
                credentials.add(new NextcloudCredential(email, username, Secret.of(password)));
            }
        }
        if (!problems.isEmpty()) {
            throw new CsvImportException(problems);
        }
        if (credentials.isEmpty()) {
            throw new CsvImportException(List.of("no credentials in the file (expected lines email,username,app_password)"));
        }
        return store(credentials);
    }

    /**
     * Upserts all in one transaction. A credential equal to the stored one (same login, and the stored value
     * decrypts to the same password) is left alone, so its time of update keeps telling when it last changed.
     */
    private CsvImportResult store(List<NextcloudCredential> credentials) throws CredentialException {
        CredentialCipher cipher = cipher();
        Map<String, String> sealed = new LinkedHashMap<>();
        for (NextcloudCredential credential : credentials) {
            sealed.put(credential.email(), cipher.encrypt(credential.appPassword(), credential.email(), credential.username()));
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Map<String, Stored> existing = new HashMap<>();
                try (Statement statement = connection.createStatement();
                        ResultSet rows = statement.executeQuery("SELECT email, username, key_id, secret_ciphertext FROM credentials")) {
                    while (rows.next()) {
                        existing.put(rows.getString(1), new Stored(rows.getString(2), rows.getString(3), rows.getString(4)));
                    }
                }
                int replaced = 0;
                int unchanged = 0;
                try (PreparedStatement upsert = connection.prepareStatement(dialect.upsert("credentials", List.of("email"),
                        List.of("username", "key_id", "secret_ciphertext", "updated_at")))) {
                    for (NextcloudCredential credential : credentials) {
                        Stored before = existing.get(credential.email());
                        if (before != null && before.sameAs(credential, cipher)) {
                            unchanged++;
                            continue;
                        }
                        upsert.setString(1, credential.email());
                        upsert.setString(2, credential.username());
                        upsert.setString(3, cipher.keyId());
                        upsert.setString(4, sealed.get(credential.email()));
                        upsert.setObject(5, Sql.timestamp(clock.instant()));
                        upsert.addBatch();
                        if (before != null) {
                            replaced++;
                        }
                    }
                    upsert.executeBatch();
                }
                connection.commit();
                return new CsvImportResult(credentials.size() - replaced - unchanged, replaced, unchanged);
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new CredentialException("cannot store " + (credentials.size() == 1 ? "the credential of "
                    + credentials.get(0).email() : credentials.size() + " credentials") + ", nothing was stored: " + Sql.reason(e), e);
        }
    }

    /** A stored row, still encrypted. */
    private record Stored(String username, String keyId, String ciphertext) {
        /** Undecryptable values (another key, damaged) count as different: the import replaces them. */
        boolean sameAs(NextcloudCredential credential, CredentialCipher cipher) {
            if (!username.equals(credential.username()) || !keyId.equals(cipher.keyId())) {
                return false;
            }
            try {
                return cipher.decrypt(ciphertext, keyId, credential.email(), username).equals(credential.appPassword());
            } catch (CredentialException e) {
                return false;
            }
        }
    }

    /** The key a value is under, if this instance holds it (the key files are read again, at most every 5 s, if not). */
    private CredentialCipher key(String keyId) throws CredentialException {
        cipher();
        CredentialCipher key = keys.get(keyId);
        if (key == null && System.nanoTime() - keysReadAt > RELOAD_NANOS) {
            synchronized (this) {
                readKeys();
            }
            key = keys.get(keyId);
        }
        return key;
    }

    /** The key file: the current key. */
    Path keyFile() {
        return keyFile;
    }

    /** The previous key's file: it exists only while a rotation re-encrypts the values (or was cut short). */
    Path previousKeyFile() {
        return keyFile.resolveSibling(keyFile.getFileName() + ".previous");
    }

    /** Reads the key file and the previous key's file, if any, into the key ring (caller holds the monitor). */
    private void readKeys() throws CredentialException {
        CredentialCipher current = CredentialCipher.load(keyFile);
        Map<String, CredentialCipher> ring = new HashMap<>();
        ring.put(current.keyId(), current);
        if (Files.exists(previousKeyFile())) {
            CredentialCipher previous = CredentialCipher.load(previousKeyFile());
            ring.putIfAbsent(previous.keyId(), previous);
        }
        keys = Map.copyOf(ring);
        cipher = current;
        keysReadAt = System.nanoTime();
    }

    /**
     * Re-encrypts every value under a new key while the store keeps serving: (1) the current key is copied to
     * {@code credentials.key.previous}; (2) a new key replaces {@code credentials.key} (atomic move), and from then on
     * values are written under it while both keys are read; (3) the values under any other key are re-encrypted in
     * batches, one transaction each, each row only if it did not change meanwhile; (4) when none is left under the old
     * key, the previous key's file is deleted and the old key is forgotten (retired). A rotation cut short (a crash, the
     * database away) leaves both files: the store reads both, and the next rotate-key finishes the work.
     */
    @Override
    public KeyRotationResult rotateKey(int batchSize) throws CredentialException {
        synchronized (rotation) {
            long started = System.nanoTime();
            CredentialCipher old;
            CredentialCipher fresh;
            synchronized (this) {
                cipher();
                readKeys();
                if (Files.exists(previousKeyFile())) {
                    // a rotation was cut short: finish it under its new key, so no key is ever held only in memory
                    fresh = cipher;
                    old = CredentialCipher.load(previousKeyFile());
                } else {
                    old = cipher;
                    fresh = CredentialCipher.generate(keyFile);
                    old.writeTo(previousKeyFile()); // before the switch: the old key stays on disk until retired
                    fresh.writeTo(keyFile);
                    Map<String, CredentialCipher> ring = new HashMap<>(keys);
                    ring.put(fresh.keyId(), fresh);
                    keys = Map.copyOf(ring);
                    cipher = fresh; // writes from now on are under the new key
                    keysReadAt = System.nanoTime();
                }
            }
            LOG.info("Credential key rotation: new key {} in {}; re-encrypting the values under {} in batches of {}", fresh.keyId(),
                    keyFile, keys.keySet().stream().filter(id -> !id.equals(fresh.keyId())).sorted().toList(), batchSize);
            int[] done = new int[2]; // values re-encrypted, batches
            List<String> unreadable = new ArrayList<>();
            // passes over the table: a write that began before the switch may still land under the old key behind the
            // first pass, and the second finds it (no write can begin under the old key after the switch)
            int met = reencryptPass(fresh, batchSize, done, unreadable);
            for (int pass = 1; pass < 3 && met > unreadable.size(); pass++) {
                unreadable.clear();
                met = reencryptPass(fresh, batchSize, done, unreadable);
            }
            int reencrypted = done[0];
            int batches = done[1];
            Set<String> left = storedKeyIds();
            left.remove(fresh.keyId());
            boolean retired = false;
            synchronized (this) {
                if (unreadable.isEmpty() && left.stream().noneMatch(id -> id.equals(old.keyId()) || keys.containsKey(id))) {
                    try {
                        Files.deleteIfExists(previousKeyFile());
                    } catch (java.io.IOException e) {
                        throw new CredentialException("every credential is under the new key " + fresh.keyId() + ", but the"
                                + " previous key's file " + previousKeyFile() + " cannot be deleted: " + e.getMessage() + "; delete it");
                    }
                    keys = Map.of(fresh.keyId(), fresh);
                    retired = true;
                }
            }
            KeyRotationResult result = new KeyRotationResult(old.keyId(), fresh.keyId(), reencrypted, batches, unreadable, retired,
                    java.time.Duration.ofNanos(System.nanoTime() - started));
            LOG.info("Credential key rotation: {}", result.summary(keyFile, previousKeyFile()));
            return result;
        }
    }

    /** One pass over the values not under {@code fresh}, in batches of one transaction each; returns how many it met. */
    private int reencryptPass(CredentialCipher fresh, int batchSize, int[] done, List<String> unreadable) throws CredentialException {
        int met = 0;
        String after = "";
        while (true) {
            List<String[]> rows = new ArrayList<>();
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement query = connection.prepareStatement("SELECT email, username, key_id, secret_ciphertext"
                            + " FROM credentials WHERE key_id <> ? AND email > ? ORDER BY email")) {
                query.setMaxRows(batchSize);
                query.setString(1, fresh.keyId());
                query.setString(2, after);
                try (ResultSet row = query.executeQuery()) {
                    while (row.next()) {
                        rows.add(new String[] {row.getString(1), row.getString(2), row.getString(3), row.getString(4)});
                    }
                }
            } catch (SQLException e) {
                throw new CredentialException("key rotation stopped after " + done[0] + " credentials (both keys stay"
                        + " readable; run rotate-key again): cannot read the credentials: " + Sql.reason(e), e);
            }
            if (rows.isEmpty()) {
                return met;
            }
            met += rows.size();
            after = rows.get(rows.size() - 1)[0];
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try (PreparedStatement update = connection.prepareStatement("UPDATE credentials SET key_id = ?,"
                        + " secret_ciphertext = ? WHERE email = ? AND key_id = ? AND secret_ciphertext = ?")) {
                    for (String[] r : rows) {
                        CredentialCipher key = keys.get(r[2]);
                        if (key == null) {
                            unreadable.add(r[0] + " (key " + r[2] + ")");
                            continue;
                        }
                        Secret secret = key.decrypt(r[3], r[2], r[0], r[1]);
                        update.setString(1, fresh.keyId());
                        update.setString(2, fresh.encrypt(secret, r[0], r[1]));
                        update.setString(3, r[0]);
                        update.setString(4, r[2]);
                        update.setString(5, r[3]);
                        update.addBatch();
                    }
                    for (int changed : update.executeBatch()) {
                        done[0] += changed > 0 ? 1 : 0; // 0: changed meanwhile (then under the new key, or met by the next pass)
                    }
                    connection.commit();
                    done[1]++;
                } catch (SQLException | RuntimeException | CredentialException e) {
                    connection.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                throw new CredentialException("key rotation stopped after " + done[0] + " credentials (both keys stay"
                        + " readable; run rotate-key again): " + Sql.reason(e), e);
            }
        }
    }

    /** The cipher, loading or creating the key file on first use. */
    private CredentialCipher cipher() throws CredentialException {
        CredentialCipher current = cipher;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (cipher == null) {
                if (Files.exists(keyFile)) {
                    readKeys();
                } else {
                    Set<String> keyIds = storedKeyIds();
                    if (!keyIds.isEmpty()) {
                        throw new CredentialException("credential key file " + keyFile + " does not exist, but the database"
                                + " holds credentials encrypted with key " + String.join(", ", keyIds) + ": restore that key file"
                                + " (or configure its path in io.nexchange.state.jdbc 'credentials.key.file'); a new key could not"
                                + " decrypt them");
                    }
                    CredentialCipher created = CredentialCipher.createOrLoad(keyFile);
                    keys = Map.of(created.keyId(), created);
                    keysReadAt = System.nanoTime();
                    cipher = created;
                }
            }
            return cipher;
        }
    }

    private Set<String> storedKeyIds() throws CredentialException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT DISTINCT key_id FROM credentials")) {
            Set<String> ids = new TreeSet<>();
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
            return ids;
        } catch (SQLException e) {
            throw new CredentialException("cannot read the stored credentials: " + Sql.reason(e), e);
        }
    }

    private static boolean isHeader(List<String> fields) {
        if (fields.size() != HEADER.size()) {
            return false;
        }
        for (int i = 0; i < fields.size(); i++) {
            if (!fields.get(i).strip().equalsIgnoreCase(HEADER.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isEmail(String value) {
        int at = value.indexOf('@');
        return at > 0 && at == value.lastIndexOf('@') && at < value.length() - 1 && value.chars().noneMatch(Character::isWhitespace);
    }

    private static String normalize(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }
}
