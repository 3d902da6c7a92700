package io.nexchange.state.jdbc.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract on embedded H2, a database file per test in a temp dir. */
class H2SyncStateStoreTest extends SyncStateStoreContract {
    static H2Files files;

    @BeforeAll
    static void createDirectory() {
        files = new H2Files();
    }

    @AfterAll
    static void deleteDirectory() {
        files.close();
    }

    @Override
    TestDatabase database() {
        return files;
    }

    /** H2 database files under one temp dir. */
    static final class H2Files implements TestDatabase {
        private final Path directory;
        private final AtomicInteger count = new AtomicInteger();

        H2Files() {
            try {
                directory = Files.createTempDirectory("nexchange-h2-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Target fresh(String name) {
            return new Target("jdbc:h2:file:" + directory.resolve(name + "-" + count.incrementAndGet()), "nexchange", "h2-password");
        }

        @Override
        public void close() {
            try (Stream<Path> paths = Files.walk(directory)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
