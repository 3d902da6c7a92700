package io.nexchange.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.testing.runtime.RuntimeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution with the demo's configuration (sandbox tenant + an app registration pointing at it):
 * auth-entra acquires tokens from the emulated Entra ID through msal4j, over HTTPS trusted by the
 * sandbox's truststore, and {@code nexchange:auth-check} finds every permission granted. No secret
 * reaches the log.
 */
class SandboxTenantIT {
    @TempDir
    Path temp;

    @Test
    void authCheckPassesAgainstTheSandboxTenantAndNoSecretIsLogged() throws Exception {
        Path home = RuntimeProcess.distribution();
        Map<String, String> demo = new HashMap<>();
        // the demo's tenant listens on 18443; a test takes a free port so it never collides with a running demo
        String port = Integer.toString(RuntimeProcess.freePort());
        try (Stream<Path> files = Files.list(home.resolve("etc/demo"))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (!file.getFileName().toString().equals("io.nexchange.ops.http.cfg")) {
                    demo.put(file.getFileName().toString(), Files.readString(file).replace("18443", port));
                }
            }
        }
        Path base = RuntimeProcess.prepareInstance(home, temp.resolve("instance"), demo);
        try (RuntimeProcess runtime = RuntimeProcess.start(home, base, Duration.ofSeconds(90))) {
            String check = awaitAuthCheck(runtime);
            assertTrue(check.contains("=> OK"), check + "\nlog:\n" + Files.readString(base.resolve("log/nexchange.log")));
            assertTrue(check.contains("roles") && check.contains("Calendars.ReadWrite"), check);
            String secret = Files.readString(base.resolve("data/sandbox/demo-client-secret.txt")).strip();
            assertFalse(check.contains(secret), "auth-check printed the client secret");
            runtime.stop(Duration.ofSeconds(30));
            String log = Files.readString(base.resolve("log/nexchange.log")) + runtime.consoleOutput();
            assertFalse(log.contains(secret), "the client secret reached the log");
        }
    }

    /** The sandbox and the registration come up with the boot features; auth-check answers once both are there. */
    private static String awaitAuthCheck(RuntimeProcess runtime) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                last = runtime.console("nexchange:auth-check");
                if (last.contains("=> OK")) {
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
