package io.nexchange.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.testing.radicale.RadicaleServer;
import io.nexchange.testing.runtime.RuntimeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo pipeline (sandbox tenant -> Graph -> engine) with Radicale as the Nextcloud side, whose users have no
 * configured login at all: the first cycle fails naming the fix, then the app passwords are imported with
 * {@code nexchange:credentials} and a sync run logs in with them, discovers the collections and writes.
 */
class CredentialsSyncIT {
    @TempDir
    Path temp;

    @Test
    void mailboxesSyncWithAppPasswordsThatExistOnlyInTheCredentialStore() throws Exception {
        Path home = RuntimeProcess.distribution();
        try (RadicaleServer radicale = RadicaleServer.start()) {
            String port = Integer.toString(RuntimeProcess.freePort());
            Map<String, String> config = new HashMap<>();
            try (Stream<Path> files = Files.list(home.resolve("etc/demo"))) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    String name = file.getFileName().toString();
                    if (!name.equals("io.nexchange.ops.http.cfg") && !name.equals("io.nexchange.vdir.cfg")) {
                        config.put(name, Files.readString(file).replace("18443", port));
                    }
                }
            }
            config.put("io.nexchange.features.cfg", "boot = core,state,ops,nextcloud,sandbox,auth-entra,graph,engine\n");
            config.put("io.nexchange.sandbox-demo.cfg", config.get("io.nexchange.sandbox-demo.cfg")
                    .replaceAll("(?m)^users\\s*=.*$", "users = 2") + "\neventsPerMailbox = 4\ncontactsPerMailbox = 3\n");
            config.put("io.nexchange.engine.cfg", config.get("io.nexchange.engine.cfg")
                    .replaceAll("(?m)^nextcloudBackend\\s*=.*$", "nextcloudBackend = caldav")
                    .replaceAll("(?m)^intervalSeconds\\s*=.*$", "intervalSeconds = 3600"));
            config.put("io.nexchange.nextcloud.cfg", "baseUrl = " + radicale.baseUrl() + "\n");
            Path base = RuntimeProcess.prepareInstance(home, temp.resolve("instance"), config);

            try (RuntimeProcess runtime = RuntimeProcess.start(home, base, Duration.ofSeconds(90))) {
                // the scheduled first cycle finds no login for anyone, and says how to give one
                String status = await(runtime, "nexchange:sync-status", s -> s.contains("nexchange:credentials import FILE.csv"));
                assertTrue(status.contains("import an app password for "), status);
                List<String> mailboxes = new ArrayList<>();
                Matcher address = Pattern.compile("(?m)^([^\\s@]+)@(\\S+)\\s").matcher(status);
                StringBuilder csv = new StringBuilder("email,username,app_password\n");
                List<String> passwords = new ArrayList<>();
                while (address.find()) {
                    String user = address.group(1);
                    String password = "AppPw-" + user.hashCode() + "-only-in-the-store";
                    radicale.addUser(user, password);
                    csv.append(user).append('@').append(address.group(2)).append(',').append(user).append(',').append(password).append('\n');
                    mailboxes.add(user + "@" + address.group(2));
                    passwords.add(password);
                }
                assertEquals(2, mailboxes.size(), status);
                Files.writeString(base.resolve("users.csv"), csv);
                assertTrue(runtime.console("nexchange:credentials import users.csv").contains("2 added"));

                String sync = runtime.console("nexchange:sync --all");
                for (String mailbox : mailboxes) {
                    assertTrue(sync.contains(mailbox + ": OK"), sync);
                    String user = mailbox.substring(0, mailbox.indexOf('@'));
                    List<String> written;
                    try (Stream<Path> items = Files.walk(radicale.storageFolder())) {
                        written = items.map(Path::toString).filter(p -> p.contains("/" + user + "/") && (p.endsWith(".ics") || p.endsWith(".vcf")))
                                .collect(java.util.stream.Collectors.toList());
                    }
                    assertFalse(written.isEmpty(), "items of " + mailbox + " written to Radicale as " + user + "; sync:\n" + sync);
                }
                runtime.stop(Duration.ofSeconds(30));
                String log = Files.readString(base.resolve("log/nexchange.log")) + runtime.consoleOutput() + sync + status;
                for (String password : passwords) {
                    assertFalse(log.contains(password), "an app password reached the log or the console");
                }
            }
        }
    }

    private static String await(RuntimeProcess runtime, String command, java.util.function.Predicate<String> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                last = runtime.console(command);
                if (done.test(last)) {
                    return last;
                }
            } catch (IllegalStateException notYet) {
                last = notYet.getMessage();
            }
            Thread.sleep(500);
        }
        return last;
    }
}
