package io.nexchange.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.nexchange.testing.runtime.RuntimeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot deployment in the real distribution, forked: bundles dropped into deploy/, replaced and removed,
 * configuration edited in etc/, features installed and removed from the console — all while the same
 * framework keeps running.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HotDeployIT {
    @TempDir
    static Path temp;

    static Path home;
    static RuntimeProcess runtime;
    static Map<String, Object> firstStatus;

    @BeforeAll
    static void startRuntime() throws Exception {
        home = RuntimeProcess.copyDistribution(RuntimeProcess.distribution(), temp.resolve("home"));
        // a feature of the tests' own, installable from the console
        ProbeBundles.greeter(home.resolve("system/io/nexchange/it/probe-marker/1.0.0/probe-marker-1.0.0.jar"),
                "io.nexchange.it.probe.marker", "1.0.0", "marker", "marker");
        Files.writeString(home.resolve("features/probe.xml"), "<features><feature name=\"probe\" description=\"test probe\">"
                + "<requires>core</requires><bundle>io.nexchange.it/probe-marker/1.0.0</bundle>"
                + "<config file=\"io.nexchange.it.marker.cfg\">note = written by the probe feature</config>"
                + "</feature></features>");
        Path base = RuntimeProcess.prepareInstance(home, temp.resolve("instance"), Map.of());
        runtime = RuntimeProcess.start(home, base, Duration.ofSeconds(120));
        firstStatus = runtime.status();
    }

    @AfterAll
    static void stopRuntime() throws Exception {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    @Order(1)
    void bundleCopiedIntoDeployIsActiveWithinFiveSeconds() throws Exception {
        Path deploy = runtime.base().resolve("deploy");
        ProbeBundles.consumer(temp.resolve("build/probe-consumer.jar"));
        ProbeBundles.greeter(temp.resolve("build/greeter-1.jar"), "io.nexchange.it.probe.greeter", "1.0.0", "hello-1", "greeter");
        long start = System.nanoTime();
        drop(temp.resolve("build/probe-consumer.jar"), deploy.resolve("probe-consumer.jar"));
        drop(temp.resolve("build/greeter-1.jar"), deploy.resolve("probe-greeter.jar"));
        awaitEquals("hello-1", () -> runtime.console("probe:greet").strip(), Duration.ofSeconds(5));
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("hot deploy: bundle active and serving %d ms after the copy into deploy/%n", millis);
        assertEquals("ACTIVE", bundle("io.nexchange.it.probe.greeter").orElseThrow().get("state"));
    }

    @Test
    @Order(2)
    void replacingTheJarUpdatesTheBundleInPlaceAndConsumersSwitchToTheNewService() throws Exception {
        Object idBefore = bundle("io.nexchange.it.probe.greeter").orElseThrow().get("id");
        ProbeBundles.greeter(temp.resolve("build/greeter-2.jar"), "io.nexchange.it.probe.greeter", "2.0.0", "hello-2", "greeter");
        drop(temp.resolve("build/greeter-2.jar"), runtime.base().resolve("deploy/probe-greeter.jar"));
        awaitEquals("hello-2", () -> runtime.console("probe:greet").strip(), Duration.ofSeconds(5));
        Map<String, Object> greeter = bundle("io.nexchange.it.probe.greeter").orElseThrow();
        assertEquals(idBefore, greeter.get("id"), "updated in place, not installed a second time");
        assertEquals("2.0.0", greeter.get("version"));
        assertEquals(1, runtime.bundles().stream().filter(b -> "io.nexchange.it.probe.greeter".equals(b.get("symbolicName"))).count());
    }

    @Test
    @Order(3)
    void editingACfgFileReconfiguresLive() throws Exception {
        Path cfg = runtime.base().resolve("etc/io.nexchange.it.probe.cfg");
        write(cfg, "suffix = !\n");
        awaitEquals("hello-2!", () -> runtime.console("probe:greet").strip(), Duration.ofSeconds(5));
        write(cfg, "suffix = ?\n");
        awaitEquals("hello-2?", () -> runtime.console("probe:greet").strip(), Duration.ofSeconds(5));
    }

    @Test
    @Order(4)
    void featureInstallsAndUninstallsFromTheConsole() throws Exception {
        assertTrue(runtime.console("nexchange:features").contains("[ ] probe"));
        runtime.console("nexchange:features install probe");
        assertEquals("ACTIVE", bundle("io.nexchange.it.probe.marker").orElseThrow().get("state"));
        assertTrue(runtime.console("nexchange:features").contains("[x] probe"));
        assertTrue(Files.readString(runtime.base().resolve("etc/io.nexchange.it.marker.cfg")).contains("written by the probe feature"));
        runtime.console("nexchange:features uninstall probe");
        assertFalse(bundle("io.nexchange.it.probe.marker").isPresent(), "bundles of an uninstalled feature are removed");
        assertTrue(Files.readString(runtime.base().resolve("data/features.state")).contains("removed=probe"));

        IllegalStateException unknown = assertThrows(IllegalStateException.class,
                () -> runtime.console("nexchange:features install no-such-feature"));
        assertTrue(unknown.getMessage().contains("no feature named 'no-such-feature'"), unknown.getMessage());
        IllegalStateException required = assertThrows(IllegalStateException.class,
                () -> runtime.console("nexchange:features uninstall core"));
        assertTrue(required.getMessage().contains("feature 'core' is required by installed feature '"), required.getMessage());
    }

    @Test
    @Order(5)
    void removingTheJarUninstallsTheBundle() throws Exception {
        Files.delete(runtime.base().resolve("deploy/probe-greeter.jar"));
        awaitEquals("no greeter?", () -> runtime.console("probe:greet").strip(), Duration.ofSeconds(5));
        assertFalse(bundle("io.nexchange.it.probe.greeter").isPresent());
    }

    @Test
    @Order(6)
    void theFrameworkWasNeverRestartedAndUnrelatedBundlesKeptTheirState() throws Exception {
        Map<String, Object> now = runtime.status();
        @SuppressWarnings("unchecked")
        Map<String, Object> runtimeBefore = (Map<String, Object>) firstStatus.get("runtime");
        @SuppressWarnings("unchecked")
        Map<String, Object> runtimeNow = (Map<String, Object>) now.get("runtime");
        assertEquals(runtimeBefore.get("frameworkStartedMillis"), runtimeNow.get("frameworkStartedMillis"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> before = (List<Map<String, Object>>) firstStatus.get("bundles");
        for (Map<String, Object> bundle : before) {
            Map<String, Object> current = bundle((String) bundle.get("symbolicName")).orElseThrow(
                    () -> new AssertionError(bundle.get("symbolicName") + " disappeared"));
            assertEquals(bundle.get("id"), current.get("id"), bundle.get("symbolicName") + " was reinstalled");
            assertEquals(bundle.get("lastModified"), current.get("lastModified"), bundle.get("symbolicName") + " was updated");
            assertEquals(bundle.get("state"), current.get("state"), bundle.get("symbolicName") + " changed state");
        }
        assertEquals(Boolean.TRUE, now.get("ready"));
    }

    @Test
    @Order(7)
    void theCommandLineTalksToTheRunningInstance() throws Exception {
        String status = run("status");
        assertTrue(status.contains("ready     yes"), status);
        String bundles = run("exec", "nexchange:bundles");
        assertTrue(bundles.contains("io.nexchange.ops"), bundles);
    }

    @Test
    @Order(8)
    void sigtermStopsTheRuntimeCleanly() throws Exception {
        int exit = runtime.stop(Duration.ofSeconds(30));
        // 143 = terminated by SIGTERM after the shutdown hook ran; 0 if the framework stopped first
        assertTrue(exit == 143 || exit == 0, "exit code " + exit);
        String log = Files.readString(runtime.base().resolve("log/nexchange.log"));
        assertTrue(log.contains("Stopping Nexchange"), "the shutdown hook stopped the framework");
    }

    private String run(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(home.resolve("bin/nexchange").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("NEXCHANGE_BASE", runtime.base().toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), "nexchange " + String.join(" ", args) + ": " + output);
        return output;
    }

    private static Optional<Map<String, Object>> bundle(String symbolicName) throws Exception {
        return runtime.bundles().stream().filter(b -> symbolicName.equals(b.get("symbolicName"))).findFirst();
    }

    /** Moves a file into place atomically, as an operator's copy should, so FileInstall never reads half a jar. */
    private static void drop(Path source, Path target) throws Exception {
        Path staging = target.resolveSibling("." + target.getFileName() + ".part");
        Files.copy(source, staging, StandardCopyOption.REPLACE_EXISTING);
        Files.move(staging, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void write(Path file, String content) throws Exception {
        Path staging = file.resolveSibling("." + file.getFileName() + ".part");
        Files.writeString(staging, content);
        Files.move(staging, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void awaitEquals(String expected, Callable<String> actual, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = actual.call();
            } catch (IllegalStateException notYet) {
                last = notYet.getMessage(); // e.g. the command is not registered yet
            }
            if (expected.equals(last)) {
                return;
            }
            Thread.sleep(50);
        }
        assertEquals(expected, last, "not reached within " + within);
    }
}
