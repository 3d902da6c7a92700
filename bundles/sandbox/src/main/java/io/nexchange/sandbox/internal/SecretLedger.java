package io.nexchange.sandbox.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * In tests only: writes down the client secrets and tokens the sandbox hands out when the system property
 * {@code nexchange.secretLedger} names a folder, for the scan of the build's outputs (the same format as test-support's
 * {@code io.nexchange.testing.secrets.SecretLedger}, which this bundle cannot depend on). Off in the demo and in OSGi.
 */
public final class SecretLedger {
    private SecretLedger() {
    }

    public static synchronized void record(String kind, String secret) {
        String folder = System.getProperty("nexchange.secretLedger", "");
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
