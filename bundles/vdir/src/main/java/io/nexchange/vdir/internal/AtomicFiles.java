package io.nexchange.vdir.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Writes that readers (khal, khard, vdirsyncer) never see half done: the text goes to a hidden temporary
 * file beside the target (same file system), then takes the target's name in one step.
 */
final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes or replaces {@code target}. */
    static void write(Path target, String text) throws IOException {
        Path temp = temp(target, text);
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Writes {@code target} only if it does not exist. A hard link is created atomically and fails if the
     * name is taken, so two writers cannot both create the same item.
     *
     * @throws FileAlreadyExistsException if it exists
     */
    static void create(Path target, String text) throws IOException {
        Path temp = temp(target, text);
        try {
            Files.createLink(target, temp);
        } catch (UnsupportedOperationException e) {
            // file systems without hard links: check, then move (not atomic against a racing writer)
            if (Files.exists(target)) {
                throw new FileAlreadyExistsException(target.toString());
            }
            Files.move(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static Path temp(Path target, String text) throws IOException {
        // hidden (leading dot) so that vdir readers skip it
        Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            // on disk before the rename makes it visible: a crash leaves the old file or the new one, never an empty one
            channel.force(true);
        }
        return temp;
    }
}
