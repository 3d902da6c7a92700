package io.nexchange.state.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.nexchange.api.auth.Secret;
import io.nexchange.state.credentials.CredentialException;
import io.nexchange.state.credentials.NextcloudCredential;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nexchange:credentials rotate-key} on the real store (H2): every value ends under a new key, the old key is
 * retired (its file deleted, its values no longer readable by it), while readers and an importer keep working
 * throughout (no downtime); a rotation cut short leaves both keys readable and the next one finishes it.
 */
class CredentialKeyRotationTest {
    private static final int USERS = 1_000;

    @TempDir
    Path instance;

    private HikariDataSource pool;
    private JdbcCredentialStore store;
    private Path keyFile;

    @BeforeEach
    void openStore() throws Exception {
        pool = DataSources.pool("jdbc:h2:file:" + instance.resolve("data/state"), "nexchange", Secret.of(""), 6, 10_000);
        new SchemaMigrator(pool, "test").migrate();
        keyFile = instance.resolve("data/credentials.key");
        store = new JdbcCredentialStore(pool, keyFile);
        StringBuilder csv = new StringBuilder("email,username,app_password\n");
        for (int i = 0; i < USERS; i++) {
            csv.append(String.format(Locale.ROOT, "user%04d@example.org,user%04d,%s%n", i, i, password(i)));
        }
        store.importCsv(new StringReader(csv.toString()));
    }

    @AfterEach
    void closeStore() {
        pool.close();
    }

    private static String password(int i) {
        return "AppPw-" + i + "-Xq7rT-bN2pL";
    }

    @Test
    void everyValueIsReencryptedWhileReadersAndAnImportKeepWorking() throws Exception {
        String oldKey = keyIds().iterator().next();
        AtomicBoolean rotating = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        List<Thread> readers = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            int offset = t;
            Thread reader = new Thread(() -> {
                // as the DAV store's logins do during sync: read a credential, compare it with what was imported
                for (int n = 0, i = offset; rotating.get() || n < 100; n++, i = (i + 7) % USERS) {
                    try {
                        var found = store.find(String.format(Locale.ROOT, "user%04d@example.org", i)).orElseThrow();
                        if (!found.appPassword().equals(Secret.of(password(i))) && !found.appPassword().equals(Secret.of("changed-" + i))) {
                            failures.add("user" + i + ": a wrong password");
                        }
                        reads.incrementAndGet();
                    } catch (Exception e) {
                        failures.add("user" + i + ": " + e.getMessage());
                    }
                }
            });
            reader.start();
            readers.add(reader);
        }
        Thread importer = new Thread(() -> {
            for (int i = 0; rotating.get() && i < USERS; i += 50) {
                try {
                    store.put(new NextcloudCredential(String.format(Locale.ROOT, "user%04d@example.org", i),
                            String.format(Locale.ROOT, "user%04d", i), Secret.of("changed-" + i)));
                } catch (CredentialException e) {
                    failures.add("import of user" + i + ": " + e.getMessage());
                }
            }
        });
        importer.start();
        KeyRotationResult result;
        try {
            result = store.rotateKey(20);
        } finally {
            rotating.set(false);
            importer.join();
            for (Thread reader : readers) {
                reader.join();
            }
        }
        assertEquals(List.of(), List.copyOf(failures), "readers and the importer never failed during the rotation");
        assertTrue(result.retired(), result.toString());
        assertEquals(oldKey, result.oldKeyId());
        assertNotEquals(oldKey, result.newKeyId());
        assertEquals(Set.of(result.newKeyId()), keyIds(), "every value is under the new key");
        assertTrue(result.batches() >= USERS / 20, "in batches of 20: " + result);
        assertFalse(Files.exists(store.previousKeyFile()), "the old key's file is deleted");
        assertEquals(result.newKeyId(), CredentialCipher.load(keyFile).keyId(), "the key file holds the new key");
        for (int i = 0; i < USERS; i += 97) {
            Secret expected = Secret.of(i % 50 == 0 ? "changed-" + i : password(i));
            assertEquals(expected, store.find(String.format(Locale.ROOT, "user%04d@example.org", i)).orElseThrow().appPassword());
        }
        // a fresh store (a restart) reads everything with the new key file alone
        JdbcCredentialStore restarted = new JdbcCredentialStore(pool, keyFile);
        assertEquals(Secret.of(password(1)), restarted.find("user0001@example.org").orElseThrow().appPassword());
        System.out.printf(Locale.ROOT, "FIGURE credential key rotation: %d credentials in %d batches in %d ms, %d reads and %d"
                + " imports alongside, 0 failures%n", result.reencrypted(), result.batches(), result.took().toMillis(), reads.get(),
                USERS / 50);
        String text = Files.readString(keyFile, StandardCharsets.US_ASCII);
        assertFalse(new CredentialsConsole(store, instance).run("list").contains(text.strip()), "the key is never printed");
    }

    @Test
    void aRotationCutShortLeavesBothKeysReadableAndTheNextFinishesIt() throws Exception {
        String oldKey = keyIds().iterator().next();
        // as if the process died in the middle: the previous key saved, a new one current, half the values re-encrypted
        CredentialCipher old = CredentialCipher.load(keyFile);
        CredentialCipher fresh = CredentialCipher.generate(keyFile);
        old.writeTo(store.previousKeyFile());
        fresh.writeTo(keyFile);
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT email, username, secret_ciphertext FROM credentials WHERE email < 'user0500'")) {
            List<String[]> half = new ArrayList<>();
            while (rows.next()) {
                half.add(new String[] {rows.getString(1), rows.getString(2), rows.getString(3)});
            }
            for (String[] r : half) {
                Secret secret = old.decrypt(r[2], old.keyId(), r[0], r[1]);
                try (var update = connection.prepareStatement("UPDATE credentials SET key_id = ?, secret_ciphertext = ? WHERE email = ?")) {
                    update.setString(1, fresh.keyId());
                    update.setString(2, fresh.encrypt(secret, r[0], r[1]));
                    update.setString(3, r[0]);
                    update.executeUpdate();
                }
            }
        }
        JdbcCredentialStore restarted = new JdbcCredentialStore(pool, keyFile);
        assertEquals(Secret.of(password(10)), restarted.find("user0010@example.org").orElseThrow().appPassword(), "under the new key");
        assertEquals(Secret.of(password(900)), restarted.find("user0900@example.org").orElseThrow().appPassword(), "under the old key");
        KeyRotationResult result = restarted.rotateKey(100);
        assertEquals(oldKey, result.oldKeyId());
        assertEquals(fresh.keyId(), result.newKeyId(), "the cut-short rotation is finished under its own new key");
        assertEquals(500, result.reencrypted());
        assertTrue(result.retired());
        assertEquals(Set.of(fresh.keyId()), keyIds());
        assertFalse(Files.exists(restarted.previousKeyFile()));
    }

    @Test
    void theConsoleCommandRotatesAndRefusesABadBatchSize() throws Exception {
        CredentialsConsole console = new CredentialsConsole(store, instance);
        CredentialException bad = assertThrows(CredentialException.class, () -> console.run("rotate-key", "lots"));
        assertTrue(bad.getMessage().contains("from 1 to 10000"), bad.getMessage());
        String out = console.run("rotate-key");
        assertTrue(out.startsWith("re-encrypted 1000 credentials from key ") && out.contains("retired"), out);
    }

    private Set<String> keyIds() throws Exception {
        Set<String> ids = new TreeSet<>();
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT DISTINCT key_id FROM credentials")) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }
}
