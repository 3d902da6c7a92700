package io.nexchange.sandbox.internal.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.sandbox.SandboxOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxComponentTest {
    @Test
    void componentStartsTheServerWritesItsStateAndStopsIt(@TempDir Path dir) throws Exception {
        SandboxComponent component = new SandboxComponent(SandboxOptions.defaults().users(2).eventsPerMailbox(3)
                .contactsPerMailbox(2).stateDir(dir));
        int port = component.server().port();
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(dir.resolve("sandbox.properties"))) {
            p.load(in);
        }
        assertEquals(component.server().authority(), p.getProperty("authority"));
        assertTrue(Files.exists(Path.of(p.getProperty("truststore"))));
        String secret = Files.readString(Path.of(p.getProperty("clientSecretFile"))).trim();
        assertEquals(component.server().demoApp().clientSecret(), secret);
        assertTrue(p.values().stream().noneMatch(secret::equals), "the secret stays in its own file");
        component.deactivate();
        assertThrows(IOException.class, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            }
        });
    }
}
