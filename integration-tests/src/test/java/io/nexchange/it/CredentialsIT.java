package io.nexchange.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.testing.radicale.RadicaleServer;
import io.nexchange.testing.runtime.RuntimeProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nextcloud app passwords through the real distribution, forked: the nextcloud feature is installed from the
 * console (bringing the state feature it requires), a CSV file is imported with {@code nexchange:credentials}
 * (once through {@code bin/nexchange exec}, as an operator would), listed, re-imported, a bad file is rejected;
 * then the runtime is stopped and the log, the console output and every file of the instance are searched for
 * the passwords, and the state database is read to see that what it holds is ciphertext.
 */
class CredentialsIT {
    private static final String CORA_PASSWORD = "Cora-AppPw-5tG8q-Jx2Lm";
    private static final String DAN_PASSWORD = "Dan-AppPw-9Rk3w-Pz7Nb";
    private static final String REJECTED_PASSWORD = "Never-Stored-Pw-4Hs6";

    @TempDir
    Path temp;

    @Test
    void importedAppPasswordsAreListedNeverShownAndEncryptedAtRest() throws Exception {
        Path home = RuntimeProcess.distribution();
        try (RadicaleServer radicale = RadicaleServer.start()) {
            Path base = RuntimeProcess.prepareInstance(home, temp.resolve("instance"),
                    Map.of("io.nexchange.nextcloud.cfg", "baseUrl = " + radicale.baseUrl() + "\n"));
            try (RuntimeProcess runtime = RuntimeProcess.start(home, base, Duration.ofSeconds(90))) {
                runtime.console("nexchange:features install nextcloud");
                String features = runtime.console("nexchange:features");
                assertTrue(features.contains("[x] nextcloud") && features.contains("[x] state"), features);

                Files.writeString(base.resolve("users.csv"), "email,username,app_password\n"
                        + "cora@example.org,cora," + CORA_PASSWORD + "\n"
                        + "\"Dan@Example.org\",dan,\"" + DAN_PASSWORD + "\"\n");
                String imported = exec(home, base, "nexchange:credentials import users.csv");
                assertTrue(imported.contains("imported " + base.resolve("users.csv") + ": 2 added, 0 updated, 0 unchanged; 2 credentials stored"),
                        imported);

                String again = runtime.console("nexchange:credentials import " + base.resolve("users.csv"));
                assertTrue(again.contains(": 0 added, 0 updated, 2 unchanged; 2 credentials stored"), again);

                Files.writeString(base.resolve("bad.csv"), "erin@example.org,erin," + REJECTED_PASSWORD + "\n"
                        + REJECTED_PASSWORD + ",frank,frank@example.org\n"
                        + "cora@example.org,cora,\n");
                IllegalStateException rejected = assertThrows(IllegalStateException.class,
                        () -> runtime.console("nexchange:credentials import bad.csv"));
                assertTrue(rejected.getMessage().contains("answered 500"), rejected.getMessage());
                assertTrue(rejected.getMessage().contains("CSV import rejected, nothing was stored (2 problems):\n"
                        + "  line 2, field email: not an e-mail address\n"
                        + "  line 3, field app_password: empty"), rejected.getMessage());
                assertFalse(rejected.getMessage().contains(REJECTED_PASSWORD), rejected.getMessage());

                String list = runtime.console("nexchange:credentials list");
                assertTrue(list.contains("cora@example.org") && list.contains("dan@example.org") && list.contains("2 credentials"), list);
                assertFalse(list.contains("erin"), "nothing of the rejected file was stored: " + list);
                for (String output : List.of(imported, again, list)) {
                    assertNoPassword(output, "console output");
                }

                String removed = runtime.console("nexchange:credentials remove dan");
                assertEquals("removed the credential of dan@example.org (Nextcloud user dan)\n", removed.strip() + "\n");

                int exit = runtime.stop(Duration.ofSeconds(30));
                assertTrue(exit == 143 || exit == 0, "exit code " + exit);
                String log = Files.readString(base.resolve("log/nexchange.log")) + runtime.consoleOutput();
                assertTrue(log.contains("Remote console: nexchange:credentials import users.csv"), "the command itself is logged");
                assertNoPassword(log, "the log");
            }

            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(base.resolve("data/credentials.key"))));
            List<Path> files = new ArrayList<>();
            try (Stream<Path> walk = Files.walk(base)) {
                walk.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().endsWith(".csv")).forEach(files::add);
            }
            for (Path file : files) {
                String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                assertNoPassword(bytes, file.toString());
            }

            List<String> stored = new ArrayList<>();
            try (Connection state = DriverManager.getConnection("jdbc:h2:file:" + base.resolve("data/state"), "nexchange", "");
                    Statement statement = state.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT email, username, secret_ciphertext FROM credentials ORDER BY email")) {
                while (rows.next()) {
                    stored.add(rows.getString(1) + "," + rows.getString(2) + "," + rows.getString(3));
                }
            }
            assertEquals(1, stored.size(), "dan was removed: " + stored);
            assertTrue(stored.get(0).startsWith("cora@example.org,cora,"), stored.get(0));
            assertNoPassword(stored.get(0), "the credentials table");
            String ciphertext = stored.get(0).substring("cora@example.org,cora,".length());
            assertTrue(ciphertext.length() > 40, "nonce + ciphertext + tag, encoded: " + ciphertext.length() + " characters");
        }
    }

    /** Neither the plain password nor its base64 (an encoding is not encryption) may appear. */
    private static void assertNoPassword(String text, String where) {
        for (String password : List.of(CORA_PASSWORD, DAN_PASSWORD, REJECTED_PASSWORD)) {
            assertFalse(text.contains(password), where + " contains a password");
            String base64 = Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8));
            assertFalse(text.contains(base64.substring(0, 16)), where + " contains a base64-encoded password");
        }
    }

    /** {@code bin/nexchange exec COMMAND} against the running instance, as an operator types it. */
    private static String exec(Path home, Path base, String command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/nexchange").toString(), "exec", command).redirectErrorStream(true);
        builder.environment().put("NEXCHANGE_BASE", base.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), "nexchange exec '" + command + "': " + output);
        return output;
    }
}
