package io.nexchange.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nexchange.testing.secrets.SecretLedger;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The build's last test (failsafe, in the reactor's last module): every secret and token the tests handed out (the
 * ledger written by test-support's harnesses and the sandbox: Radicale, Nextcloud and PostgreSQL passwords, Entra client
 * secrets, access tokens) must appear in none of the files the build left in the modules' {@code target/} folders: test
 * reports and their captured output, logs (the forked runtimes' {@code log/} too), dumps, state databases, instance
 * configuration, and the pages a running instance showed an operator ({@code /status}, {@code /status.txt},
 * {@code /metrics}, the web console: fetched by {@code QuarantineEndToEndIT} into {@code target/runtime-pages/}). A few
 * files hold secrets on purpose, as the product's own secret files do ({@link #HOLDS_SECRETS}).
 * The scan prints what it read; a leak names the file and the kind of secret, never the secret.
 */
class SecretScanIT {
    /** Files whose job is to hold a secret (mode 0600 where the product writes them), not outputs. */
    private static final Set<String> HOLDS_SECRETS = Set.of("demo-client-secret.txt", "sandbox.properties",
            "sandbox-truststore.password");
    private static final Set<String> SCANNED_SUFFIXES = Set.of(".txt", ".log", ".xml", ".json", ".out", ".dump", ".dumpstream",
            ".mv.db", ".trace.db", ".csv", ".cfg", ".properties", ".html", ".tsv");
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{20,}");

    @Test
    void noSecretOrTokenTheTestsUsedIsInAnythingTheBuildLeftBehind() throws IOException {
        Path root = Path.of(System.getProperty("maven.multiModuleProjectDirectory", "..")).toAbsolutePath().normalize();
        Path ledger = Path.of(System.getProperty(SecretLedger.PROPERTY, root.resolve("target/secret-ledger").toString()));
        Map<String, String> tokens = new HashMap<>(); // token -> kind
        Map<String, String> others = new HashMap<>();
        if (Files.isDirectory(ledger)) {
            try (Stream<Path> files = Files.list(ledger)) {
                for (Path file : files.toList()) {
                    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                        int tab = line.indexOf('\t');
                        if (tab > 0 && line.length() - tab > 8) { // shorter values would match by chance
                            String secret = line.substring(tab + 1);
                            (JWT.matcher(secret).matches() ? tokens : others).put(secret, line.substring(0, tab));
                        }
                    }
                }
            }
        }
        Assumptions.assumeTrue(!tokens.isEmpty() || !others.isEmpty(), "SKIPPED: no secret ledger in " + ledger
                + " (it is written by the tests of the same build: run the whole build, e.g. ./dev/test)");

        List<Path> scanned = new ArrayList<>();
        long bytes = 0;
        Set<String> leaks = new TreeSet<>();
        try (Stream<Path> targets = Files.find(root, 4, (p, a) -> a.isDirectory() && p.getFileName().toString().equals("target")
                && !p.startsWith(root.resolve("target")))) {
            for (Path target : targets.toList()) {
                try (Stream<Path> files = Files.walk(target)) {
                    for (Path file : files.filter(Files::isRegularFile).filter(SecretScanIT::scanned).toList()) {
                        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1); // bytes as they are
                        scanned.add(file);
                        bytes += text.length();
                        Matcher jwt = JWT.matcher(text);
                        while (jwt.find()) {
                            String kind = tokens.get(jwt.group());
                            if (kind != null) {
                                leaks.add(root.relativize(file) + ": a " + kind);
                            }
                        }
                        for (Map.Entry<String, String> secret : others.entrySet()) {
                            if (text.contains(secret.getKey())) {
                                leaks.add(root.relativize(file) + ": a " + secret.getValue());
                            }
                        }
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "FIGURE secret scan: %d tokens and %d other secrets from the ledger against %d files"
                + " (%.1f MB) in the modules' target folders: %d leaks%n", tokens.size(), others.size(), scanned.size(),
                bytes / 1e6, leaks.size());
        assertEquals(List.of(), List.copyOf(leaks), "secrets in the build's outputs");
    }

    private static boolean scanned(Path file) {
        String name = file.getFileName().toString();
        String path = file.toString();
        if (HOLDS_SECRETS.contains(name) || path.contains("/secret-ledger/") || path.contains("/classes/")
                || path.contains("/test-classes/") || path.contains("/jqwik-database")) {
            return false;
        }
        try {
            if (Files.size(file) > 64L << 20) {
                return false; // no log or report is that large; a large file here is a build artefact
            }
        } catch (IOException e) {
            return false;
        }
        return SCANNED_SUFFIXES.stream().anyMatch(name::endsWith);
    }
}
