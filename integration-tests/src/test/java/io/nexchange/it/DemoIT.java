package io.nexchange.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.testing.runtime.RuntimeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nexchange demo} from a fresh directory: boots on embedded defaults (with the sandbox tenant), reports ready, stops. */
class DemoIT {
    @TempDir
    Path workingDirectory;

    @Test
    void demoBootsOnEmbeddedDefaultsAndPrintsStatus() throws Exception {
        Process process = new ProcessBuilder(RuntimeProcess.distribution().resolve("bin/nexchange").toString(), "demo")
                .directory(workingDirectory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(3, TimeUnit.MINUTES));
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("ready     yes"), output);
        assertTrue(output.matches("(?s).*features  \\[[^]]*sandbox[^]]*].*"), "the demo boots the sandbox tenant: " + output);
        assertTrue(Files.isRegularFile(workingDirectory.resolve("nexchange-demo/data/sandbox/sandbox-truststore.p12")),
                "the sandbox tenant served HTTPS with its own truststore");
        assertTrue(Files.isDirectory(workingDirectory.resolve("nexchange-demo/etc")), "the demo instance lives in ./nexchange-demo");
    }
}
