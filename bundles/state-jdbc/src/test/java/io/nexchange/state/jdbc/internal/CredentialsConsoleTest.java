package io.nexchange.state.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.nexchange.api.auth.Secret;
import io.nexchange.state.credentials.CredentialException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nexchange:credentials} on the real store (H2 in a temp dir): parsing, output, and that no password is ever printed. */
class CredentialsConsoleTest {
    private static final String ALICE_PASSWORD = "Alice-AppPw-7Hq2x-Lm9Pz";
    private static final String BOB_PASSWORD = "Bob-AppPw-3Kd8s-Vn4Rt";

    @TempDir
    Path instance;

    private HikariDataSource pool;
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2025-03-01T08:00:00.123Z"));
    private CredentialsConsole console;

    @BeforeEach
    void openStore() throws Exception {
        pool = DataSources.pool("jdbc:h2:file:" + instance.resolve("data/state"), "nexchange", Secret.of(""), 2, 10_000);
        new SchemaMigrator(pool, "test").migrate();
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        console = new CredentialsConsole(new JdbcCredentialStore(pool, instance.resolve("data/credentials.key"), clock), instance);
    }

    @AfterEach
    void closeStore() {
        pool.close();
    }

    @Test
    void importCountsAddedUpdatedAndUnchangedAndNeverPrintsAPassword() throws Exception {
        Files.writeString(instance.resolve("users.csv"), "email,username,app_password\n"
                + "alice@example.org,alice," + ALICE_PASSWORD + "\n"
                + "bob@example.org,bob," + BOB_PASSWORD + "\n");
        String first = console.run("import", "users.csv");
        assertTrue(first.startsWith("imported " + instance.resolve("users.csv") + ": 2 added, 0 updated, 0 unchanged; 2 credentials stored\n"), first);
        assertTrue(first.contains("users.csv holds app passwords in plain text: delete it now"), first);

        now.set(Instant.parse("2025-03-02T09:30:00Z"));
        // bob's password rotated, alice's line unchanged, carol new; absolute path this time
        Path again = instance.resolve("again.csv");
        Files.writeString(again, "alice@example.org,alice," + ALICE_PASSWORD + "\n"
                + "BOB@example.org,bob,Bob-Rotated-1\n"
                + "carol@example.org,carol,Carol-AppPw-1\n");
        String second = console.run("import", again.toString());
        assertTrue(second.startsWith("imported " + again + ": 1 added, 1 updated, 1 unchanged; 3 credentials stored"), second);

        String list = console.run("list");
        assertEquals(String.join("\n",
                "EMAIL              NEXTCLOUD USER  SET/UPDATED",
                "alice@example.org  alice           2025-03-01T08:00:00Z",
                "bob@example.org    bob             2025-03-02T09:30:00Z",
                "carol@example.org  carol           2025-03-02T09:30:00Z",
                "3 credentials", ""), list);
        for (String output : List.of(first, second, list)) {
            assertFalse(output.contains(ALICE_PASSWORD) || output.contains(BOB_PASSWORD) || output.contains("Rotated")
                    || output.contains("Carol-AppPw"), output);
        }
    }

    @Test
    void aBadFileImportsNothingAndNamesLinesAndProblemsButNoContent() throws Exception {
        Files.writeString(instance.resolve("ok.csv"), "dave@example.org,dave,Dave-Secret-0\n");
        console.run("import", "ok.csv");
        // columns mixed up in line 2: the "e-mail" there is a password, and must not be echoed
        Files.writeString(instance.resolve("bad.csv"), "alice@example.org,alice,Secret-Line-1\n"
                + "Secret-In-Email-Column,bob,bob@example.org\n"
                + "carol@example.org,,Secret-Line-3\n"
                + "alice@example.org,alice2,Secret-Line-4\n"
                + "erin@example.org,erin\n");
        CredentialException rejected = assertThrows(CredentialException.class, () -> console.run("import", "bad.csv"));
        assertEquals(instance.resolve("bad.csv") + ": CSV import rejected, nothing was stored (4 problems):\n"
                + "  line 2, field email: not an e-mail address\n"
                + "  line 3, field username: empty\n"
                + "  line 4, field email: the same address as line 1\n"
                + "  line 5: expected 3 fields (email,username,app_password), found 2", rejected.getMessage());
        assertFalse(rejected.getMessage().contains("Secret-"), rejected.getMessage());
        assertTrue(console.run("list").contains("1 credential\n"), "nothing of the bad file was stored");
        assertFalse(console.run("list").contains("alice"));
    }

    @Test
    void aWrongHeaderIsExplainedAndAByteOrderMarkIsAccepted() throws Exception {
        Files.writeString(instance.resolve("header.csv"), "mail,user,password\nalice@example.org,alice,pw-1\n");
        CredentialException rejected = assertThrows(CredentialException.class, () -> console.run("import", "header.csv"));
        assertTrue(rejected.getMessage().contains("line 1, field email: not an e-mail address (a header line must be exactly"
                + " email,username,app_password)"), rejected.getMessage());

        Files.write(instance.resolve("excel.csv"), ("\uFEFFemail,username,app_password\r\nalice@example.org,alice,pw-1\r\n")
                .getBytes(StandardCharsets.UTF_8));
        assertTrue(console.run("import", "excel.csv").contains(": 1 added, 0 updated, 0 unchanged"));
    }

    @Test
    void aMissingFileNamesTheResolvedPathAndTheInstanceDirectory() {
        CredentialException missing = assertThrows(CredentialException.class, () -> console.run("import", "nope.csv"));
        assertEquals(instance.resolve("nope.csv") + ": no such file (a relative path is resolved against the instance directory "
                + instance + ")", missing.getMessage());
    }

    @Test
    void removeTakesAnEmailOrAUserIdAndRefusesAnAmbiguousUserId() throws Exception {
        Files.writeString(instance.resolve("users.csv"), "alice@example.org,alice,pw-a\n"
                + "alice@other.example,alice,pw-b\n"
                + "bob@example.org,bob,pw-c\n"
                + "carl@example.org,carl@example.org,pw-d\n");
        console.run("import", "users.csv");

        assertEquals("removed the credential of bob@example.org (Nextcloud user bob)\n", console.run("remove", "bob"));
        CredentialException ambiguous = assertThrows(CredentialException.class, () -> console.run("remove", "alice"));
        assertEquals("Nextcloud user 'alice' has credentials under several e-mail addresses (alice@example.org, alice@other.example):"
                + " remove one by its e-mail address", ambiguous.getMessage());
        assertEquals("removed the credential of alice@other.example (Nextcloud user alice)\n", console.run("remove", "Alice@Other.example"));
        assertEquals("removed the credential of carl@example.org (Nextcloud user carl@example.org)\n", console.run("remove", "carl@example.org"));
        CredentialException unknown = assertThrows(CredentialException.class, () -> console.run("remove", "bob"));
        assertTrue(unknown.getMessage().startsWith("no credential stored for 'bob'"), unknown.getMessage());
        assertEquals(List.of("alice@example.org"), storedEmails());
    }

    @Test
    void anythingElsePrintsTheUsage() throws Exception {
        for (String[] args : List.of(new String[0], new String[] {"import"}, new String[] {"list", "x"}, new String[] {"drop", "x"},
                new String[] {"remove"})) {
            assertEquals(CredentialsConsole.USAGE, console.run(args));
        }
        assertEquals("no credentials stored (import them with nexchange:credentials import FILE.csv)\n", console.run("list"));
    }

    private List<String> storedEmails() throws Exception {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT email FROM credentials ORDER BY email")) {
            List<String> emails = new java.util.ArrayList<>();
            while (rows.next()) {
                emails.add(rows.getString(1));
            }
            return emails;
        }
    }
}
