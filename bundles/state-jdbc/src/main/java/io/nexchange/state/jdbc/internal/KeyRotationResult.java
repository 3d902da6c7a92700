package io.nexchange.state.jdbc.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What a key rotation did.
 *
 * @param oldKeyId the key that was current before
 * @param newKeyId the key every value is written under from now on
 * @param reencrypted values re-encrypted under the new key
 * @param batches transactions it took
 * @param unreadable values under a key this instance does not hold (e-mail and key id, never the value): left as they are
 * @param retired whether the old key was retired (its file deleted): no value is under it any more
 */
public record KeyRotationResult(String oldKeyId, String newKeyId, int reencrypted, int batches, List<String> unreadable,
        boolean retired, Duration took) {
    public KeyRotationResult {
        unreadable = List.copyOf(unreadable);
    }

    String summary(Path keyFile, Path previousKeyFile) {
        String head = String.format(Locale.ROOT, "re-encrypted %d credentials from key %s to key %s in %d batches (%d ms)",
                reencrypted, oldKeyId, newKeyId, batches, took.toMillis());
        if (retired) {
            return head + "; key " + oldKeyId + " retired (" + previousKeyFile.getFileName() + " deleted). Instances sharing this"
                    + " database need a copy of the new " + keyFile + "; keep a copy of the old key only with backups taken before now";
        }
        return head + "; the old key is kept in " + previousKeyFile + " because " + (unreadable.isEmpty()
                ? "values under it are left (changed meanwhile?): run rotate-key again"
                : unreadable.size() + " credentials are under a key this instance does not hold: " + String.join(", ", unreadable)
                        + " (import them again, or restore their key file as " + previousKeyFile.getFileName() + " and run rotate-key again)");
    }
}
