package io.nexchange.testing.secrets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where the test harnesses write down every secret they hand out (passwords, app passwords), so that the build's last
 * test ({@code SecretScanIT} in reliability/) can look for each of them in everything the build left behind. Active when
 * the system property {@value #PROPERTY} names a folder (the root pom sets it for every surefire and failsafe run); one
 * file per JVM, a line per secret: {@code kind<TAB>secret}. The sandbox writes its client secrets and tokens the same way.
 */
public final class SecretLedger {
    public static final String PROPERTY = "nexchange.secretLedger";

    private SecretLedger() {
    }

    /** Writes one secret down (nothing when the ledger is off). */
    public static synchronized void record(String kind, String secret) {
        String folder = System.getProperty(PROPERTY, "");
        if (folder.isBlank() || secret == null || secret.isBlank()) {
            return;
        }
        try {
            Path dir = Files.createDirectories(Path.of(folder));
            Files.writeString(dir.resolve("ledger-" + ProcessHandle.current().pid() + ".tsv"), kind + "\t" + secret + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the secret ledger in " + folder, e);
        }
    }
}
