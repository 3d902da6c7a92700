package io.nexchange.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.nexchange.api.Mailbox;
import io.nexchange.api.auth.Secret;
import io.nexchange.api.directory.DirectoryException;
import io.nexchange.api.directory.Resolution;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccountDirectoryTest {
    static Mailbox mailbox(String smtp) {
        return new Mailbox(smtp, smtp, "");
    }

    @Test
    void mappingFileResolvesReportsAmbiguityAndReloadsWhenChanged(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("account-mapping.csv");
        Files.writeString(file, "primary_smtp,nextcloud_user_id\n# comment\nAlice@Example.org,alice\n"
                + "carol@example.org,carol\ncarol@example.org,carol.b\n");
        CsvAccountDirectory directory = new CsvAccountDirectory(file);
        assertEquals("alice", directory.resolve(mailbox("alice@example.org")).account().orElseThrow().userId());
        Resolution carol = directory.resolve(mailbox("carol@example.org"));
        assertTrue(carol.isAmbiguous());
        assertTrue(directory.resolve(mailbox("bob@example.org")).isUnmapped());

        Files.writeString(file, "bob@example.org,bob\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertEquals("bob", directory.resolve(mailbox("bob@example.org")).account().orElseThrow().userId());
        assertTrue(directory.resolve(mailbox("alice@example.org")).isUnmapped());

        Files.writeString(file, "just-one-cell\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
        DirectoryException bad = assertThrows(DirectoryException.class, () -> directory.resolve(mailbox("bob@example.org")));
        assertTrue(bad.getMessage().contains("line 1"), bad.getMessage());
    }

}
