package io.nexchange.launcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code nexchange demo}: boots an instance in ./nexchange-demo on the embedded defaults (etc/ plus the
 * overrides in the distribution's etc/demo/), waits until it is ready, prints its status and stops
 * ({@code --keep-running} leaves it running until Ctrl-C).
 */
final class Demo {
    private final Path home;
    private final Path base;
    private final boolean keepRunning;

    Demo(Path home, Path base, List<String> args) {
        this.home = home;
        this.base = base;
        this.keepRunning = args.contains("--keep-running");
    }

    int run() throws Exception {
        RuntimeHome.initializeBase(home, base, home.resolve("etc/demo"));
        System.out.println("Nexchange demo in " + base);
        Launcher launcher = new Launcher(home, base, false);
        launcher.start();
        boolean ready = awaitReady(Main.opsEndpoint(base).resolve("/health/ready"), Duration.ofSeconds(90));
        Main.remote(base, "GET", "/status.txt", null);
        if (!ready) {
            System.err.println("The demo runtime did not become ready within 90 s; see " + base.resolve("log/nexchange.log"));
            launcher.stop();
            return 1;
        }
        if (keepRunning) {
            System.out.println("Running; operator endpoint " + Main.opsEndpoint(base) + " - press Ctrl-C to stop.");
            Runtime.getRuntime().addShutdownHook(new Thread(launcher::stop));
            Thread.currentThread().join();
        }
        launcher.stop();
        return 0;
    }

    private static boolean awaitReady(URI ready, Duration timeout) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return true;
                }
            } catch (java.io.IOException notYetListening) {
                // the endpoint comes up with the ops feature
            }
            Thread.sleep(200);
        }
        return false;
    }
}
