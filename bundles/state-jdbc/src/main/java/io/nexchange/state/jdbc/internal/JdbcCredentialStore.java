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
@Component(service = CredentialStore.class)
public final class JdbcCredentialStore implements CredentialStore {
    private static final List<String> HEADER = List.of("email", "username", "app_password");

    private final DataSource dataSource;
    private final Path keyFile;
    private final Clock clock;
    private final Dialect dialect;
    private volatile CredentialCipher cipher;

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
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                String username = row.getString(1);
                Secret secret = cipher().decrypt(row.getString(3), row.getString(2), normalized, username);
                return Optional.of(new NextcloudCredential(normalized, username, secret));
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

    /** The cipher, loading or creating the key file on first use. */
    private CredentialCipher cipher() throws CredentialException {
        CredentialCipher current = cipher;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (cipher == null) {
                if (Files.exists(keyFile)) {
                    cipher = CredentialCipher.load(keyFile);
                } else {
                    Set<String> keyIds = storedKeyIds();
                    if (!keyIds.isEmpty()) {
                        throw new CredentialException("credential key file " + keyFile + " does not exist, but the database"
                                + " holds credentials encrypted with key " + String.join(", ", keyIds) + ": restore that key file"
                                + " (or configure its path in io.nexchange.state.jdbc 'credentials.key.file'); a new key could not"
                                + " decrypt them");
                    }
                    cipher = CredentialCipher.createOrLoad(keyFile);
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
