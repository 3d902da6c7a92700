package io.nexchange.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.testing.radicale.RadicaleServer;
import io.nexchange.testing.runtime.RuntimeProcess;
import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package on this machine, as an operator uses it: {@code dpkg -i}, the service's ExecStart run as the
 * unit runs it (systemd is absent here: its user, group and environment are read from the installed unit file), a
 * sync from the sandbox tenant into Radicale with app passwords that exist only in the credential store, an upgrade
 * to a newer package (this build repackaged with a higher version) after which configuration and state are
 * unchanged and the next cycle writes nothing, a downgrade that is refused, and {@code dpkg --purge} that leaves
 * nothing behind.
 *
 * <p>It installs into the machine itself (it runs as root on a throwaway CI machine; a debootstrap chroot costs
 * minutes) and therefore skips, saying why, where it is not root or has no dpkg, and refuses to touch a nexchange
 * package it did not install. Whatever happens it stops what it started and purges the package.
 */
class DebianPackageIT {
    private static final Path STATE = Path.of("/var/lib/nexchange");
    private static final Path ETC = Path.of("/etc/nexchange");
    private static final Path UNIT = Path.of("/usr/lib/systemd/system/nexchange.service");
    /** Marks an installation made by this test, so a run that died halfway is cleaned up by the next. */
    private static final Path MARKER = STATE.resolve("installed-by-DebianPackageIT");
    private static final Pattern MAILBOX_RESULT = Pattern.compile(
            "(?m)^(\\S+@\\S+): (\\w+)(?: \\([^)]*\\))?, (\\d+) changes read, (\\d+) written in (\\d+) ms");

    @TempDir
    Path temp;

    private final Map<String, String> figures = new TreeMap<>();
    private Process service;

    @Test
    void installRunUpgradeRefuseDowngradePurge() throws Exception {
        skipUnlessPossible();
        Path original = builtPackage();
        figures.put("package size", String.format("%.1f MB (%d bytes)", Files.size(original) / 1e6, Files.size(original)));
        // one installation per machine: two builds running this test at once would share /etc/nexchange and the user
        try (FileChannel machine = FileChannel.open(Path.of("/tmp/nexchange-DebianPackageIT.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = machine.lock()) {
            removeLeftoverOfAnEarlierRun();
            installRunUpgradeRefuseDowngradePurge(original);
        }
    }

    private void installRunUpgradeRefuseDowngradePurge(Path original) throws Exception {
        try (RadicaleServer radicale = RadicaleServer.start()) {
            // install
            long t0 = System.nanoTime();
            run(List.of("dpkg", "-i", original.toString()), 0);
            figures.put("dpkg -i", millis(t0) + " ms");
            Files.writeString(MARKER, "");
            String version = installedVersion();
            assertEquals(version, Files.readString(STATE.resolve("installed-version")).strip());
            assertTrue(run(List.of("getent", "passwd", "nexchange"), 0).contains("/var/lib/nexchange"));
            assertTrue(run(List.of("dpkg-query", "-W", "-f=${Conffiles}", "nexchange"), 0).contains("/etc/nexchange/io.nexchange.features.cfg"));
            assertEquals(ETC, STATE.resolve("etc").toRealPath());
            assertTrue(Files.isExecutable(Path.of("/usr/bin/nexchange")));
            if (!quiet(List.of("sh", "-c", "command -v systemd-analyze")).isBlank()) {
                // systemd's own check of the installed unit (works without systemd running): keys, commands, user
                run(List.of("systemd-analyze", "verify", "--man=no", UNIT.toString()), 0);
            }

            configureForSandboxAndRadicale(radicale);

            // first start: no login for anyone yet; the app passwords are imported through the CLI on the PATH
            startService("first start");
            String status = awaitCycle();
            List<String> mailboxes = new ArrayList<>();
            List<String> passwords = new ArrayList<>();
            StringBuilder csv = new StringBuilder("email,username,app_password\n");
            Matcher address = Pattern.compile("(?m)^([^\\s@]+)@(\\S+)\\s").matcher(status);
            while (address.find()) {
                String user = address.group(1);
                String password = "AppPw-" + Integer.toHexString(user.hashCode()) + "-kept-across-upgrades";
                radicale.addUser(user, password);
                csv.append(user).append('@').append(address.group(2)).append(',').append(user).append(',').append(password).append('\n');
                mailboxes.add(user + "@" + address.group(2));
                passwords.add(password);
            }
            assertEquals(2, mailboxes.size(), status);
            Path csvFile = STATE.resolve("users.csv");
            Files.writeString(csvFile, csv);
            run(List.of("chown", "nexchange:nexchange", csvFile.toString()), 0);
            assertTrue(nexchange("exec", "nexchange:credentials import users.csv").contains("2 added"));
            Files.delete(csvFile);
            int writtenBefore = syncAll(mailboxes, "before upgrade");
            assertTrue(writtenBefore > 0, "the first sync wrote nothing");
            assertTrue(nexchange("status").contains("ready     yes"));
            stopService("before upgrade");

            Map<String, String> configuration = checksums(ETC);
            Map<String, String> state = checksums(STATE.resolve("data"), "credentials.key", "ops.token");
            long stateBytes = Files.size(STATE.resolve("data/state.mv.db"));

            // upgrade: the same build with a higher version, installed over the running configuration and state
            Path newer = repackage(original, version + "+upgrade1");
            t0 = System.nanoTime();
            run(List.of("dpkg", "-i", newer.toString()), 0);
            figures.put("dpkg -i (upgrade)", millis(t0) + " ms");
            assertEquals(version + "+upgrade1", installedVersion());
            assertEquals(version + "+upgrade1", Files.readString(STATE.resolve("installed-version")).strip());
            assertEquals(configuration, checksums(ETC), "configuration changed by the upgrade");
            assertEquals(state, checksums(STATE.resolve("data"), "credentials.key", "ops.token"),
                    "credential key or ops token changed by the upgrade");
            assertTrue(Files.size(STATE.resolve("data/state.mv.db")) >= stateBytes);

            startService("after upgrade");
            String afterUpgrade = awaitCycle();
            Matcher cycle = Pattern.compile("last cycle: finished .*, (\\d+) mailboxes, (\\d+) items written").matcher(afterUpgrade);
            assertTrue(cycle.find(), afterUpgrade);
            figures.put("items written, first cycle after upgrade", cycle.group(2));
            assertEquals("0", cycle.group(2), "the first cycle after the upgrade wrote items:\n" + afterUpgrade);
            assertEquals(0, syncAll(mailboxes, "after upgrade"), "a sync after the upgrade wrote items");
            stopService("after upgrade");

            String log = Files.readString(Path.of("/var/log/nexchange/nexchange.log"));
            assertEquals(1, count(log, "Applying state schema migration V1__initial.sql"),
                    "the schema is migrated once, at the first start, and found current after the upgrade");
            for (String password : passwords) {
                assertFalse(log.contains(password), "an app password reached the log");
            }

            // downgrade: refused before anything is unpacked
            String refused = run(List.of("dpkg", "-i", original.toString()), 1);
            assertTrue(refused.contains("refusing to downgrade to " + version), refused);
            assertEquals(version + "+upgrade1", installedVersion());
            assertEquals(configuration, checksums(ETC));
            assertEquals(state, checksums(STATE.resolve("data"), "credentials.key", "ops.token"));

            t0 = System.nanoTime();
            run(List.of("dpkg", "--purge", "nexchange"), 0);
            figures.put("dpkg --purge", millis(t0) + " ms");
            assertNothingLeft();
        } finally {
            stopQuietly();
            purgeQuietly();
            System.out.println("DebianPackageIT figures: " + figures);
        }
    }

    private static void skipUnlessPossible() throws IOException, InterruptedException {
        String why = null;
        if (!System.getProperty("os.name").equals("Linux")) {
            why = "not Linux";
        } else if (!quiet(List.of("id", "-u")).strip().equals("0")) {
            why = "not root (it installs the package into this machine)";
        } else {
            for (String tool : List.of("dpkg", "dpkg-deb", "dpkg-query", "setpriv", "adduser")) {
                if (quiet(List.of("sh", "-c", "command -v " + tool)).isBlank()) {
                    why = "no " + tool + " (not a Debian system)";
                    break;
                }
            }
        }
        if (why != null) {
            System.err.println("DebianPackageIT SKIPPED: " + why);
            Assumptions.abort("DebianPackageIT needs root on Debian: " + why);
        }
    }

    private static Path builtPackage() throws IOException {
        Path target = Path.of(System.getProperty("nexchange.packages", "target"));
        try (Stream<Path> files = Files.list(target)) {
            List<Path> debs = files.filter(f -> f.getFileName().toString().matches("nexchange_.*_all\\.deb")).sorted().toList();
            assertEquals(1, debs.size(), "expected one nexchange_*_all.deb in " + target + " (mvn package builds it), found " + debs);
            return debs.get(0);
        }
    }

    /** A package left by a run of this test that died is purged; any other nexchange installation is left alone. */
    private void removeLeftoverOfAnEarlierRun() throws IOException, InterruptedException {
        boolean installed = !quiet(List.of("dpkg-query", "-W", "-f=${Status}", "nexchange")).isBlank();
        boolean traces = installed || Files.exists(STATE) || Files.exists(ETC) || !quiet(List.of("getent", "passwd", "nexchange")).isBlank();
        if (!traces) {
            return;
        }
        if (!Files.exists(MARKER)) {
            System.err.println("DebianPackageIT SKIPPED: this machine has a nexchange installation the test did not make");
            Assumptions.abort("a nexchange package, /etc/nexchange, /var/lib/nexchange or user nexchange exists; not touching it");
        }
        purgeQuietly();
    }

    /** The demo's sandbox tenant (2 mailboxes) on a free port, synced into Radicale, the operator endpoint on a free port. */
    private static void configureForSandboxAndRadicale(RadicaleServer radicale) throws IOException {
        String sandboxPort = Integer.toString(RuntimeProcess.freePort());
        Path demo = Path.of("/usr/share/nexchange/etc/demo");
        try (Stream<Path> files = Files.list(demo)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (!name.equals("io.nexchange.ops.http.cfg") && !name.equals("io.nexchange.vdir.cfg")) {
                    Files.writeString(ETC.resolve(name), Files.readString(file).replace("18443", sandboxPort));
                }
            }
        }
        Files.writeString(ETC.resolve("io.nexchange.features.cfg"), "boot = core,state,ops,nextcloud,sandbox,auth-entra,graph,engine\n");
        edit("io.nexchange.sandbox-demo.cfg", s -> s.replaceAll("(?m)^users\\s*=.*$", "users = 2") + "\neventsPerMailbox = 4\ncontactsPerMailbox = 3\n");
        edit("io.nexchange.engine.cfg", s -> s.replaceAll("(?m)^nextcloudBackend\\s*=.*$", "nextcloudBackend = caldav")
                .replaceAll("(?m)^intervalSeconds\\s*=.*$", "intervalSeconds = 3600"));
        Files.writeString(ETC.resolve("io.nexchange.nextcloud.cfg"), "baseUrl = " + radicale.baseUrl() + "\n");
        Files.writeString(ETC.resolve("io.nexchange.ops.http.cfg"), "host = 127.0.0.1\nport = " + RuntimeProcess.freePort() + "\n");
    }

    private static void edit(String file, java.util.function.UnaryOperator<String> change) throws IOException {
        Path path = ETC.resolve(file);
        Files.writeString(path, change.apply(Files.readString(path)));
    }

    /** ExecStart as the unit runs it, then ExecStartPost (the readiness check) as the unit runs it. */
    private void startService(String when) throws IOException, InterruptedException {
        SystemdUnit unit = SystemdUnit.read(UNIT);
        long t0 = System.nanoTime();
        File out = temp.resolve("service-" + when.replace(' ', '-') + ".out").toFile();
        service = unit.processAs(unit.execStart()).redirectErrorStream(true).redirectOutput(out).start();
        Files.writeString(MARKER, Long.toString(service.pid()));
        Process post = unit.processAs(unit.execStartPost()).redirectErrorStream(true).start();
        String postOutput = new String(post.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        post.waitFor();
        String console = Files.readString(out.toPath());
        assertEquals(0, post.exitValue(), "ExecStartPost (" + unit.execStartPost() + ") failed: " + postOutput + "\nservice output:\n" + console);
        figures.put("ready after start, " + when, millis(t0) + " ms");
        // journald reads the console: no timestamps of our own, a syslog priority prefix on every line
        assertTrue(console.lines().allMatch(line -> !line.startsWith("<") || line.matches("^<[3467]>(ERROR|WARN |INFO |DEBUG|TRACE) .*")), console);
        assertTrue(console.contains("<6>INFO  io.nexchange.launcher - Nexchange started from /usr/share/nexchange (instance /var/lib/nexchange)"), console);
    }

    /** SIGTERM, as systemctl stop sends it; a clean stop is exit code 0 or 143 (SuccessExitStatus=143). */
    private void stopService(String when) throws InterruptedException {
        long t0 = System.nanoTime();
        service.destroy();
        assertTrue(service.waitFor(90, TimeUnit.SECONDS), "the service did not stop within TimeoutStopSec after SIGTERM");
        int exit = service.exitValue();
        figures.put("stop after SIGTERM, " + when, millis(t0) + " ms, exit code " + exit);
        assertTrue(exit == 0 || exit == 143, "exit code after SIGTERM: " + exit);
    }

    private String awaitCycle() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = nexchange("exec", "nexchange:sync-status");
            if (last.contains("last cycle: finished")) {
                return last;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no cycle finished within 90 s:\n" + last);
    }

    private int syncAll(List<String> mailboxes, String when) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        String sync = nexchange("exec", "nexchange:sync --all");
        long elapsed = millis(t0);
        int written = 0;
        int ok = 0;
        Matcher result = MAILBOX_RESULT.matcher(sync);
        while (result.find()) {
            assertEquals("OK", result.group(2), sync);
            written += Integer.parseInt(result.group(4));
            ok++;
        }
        assertEquals(mailboxes.size(), ok, sync);
        figures.put("items written, sync --all " + when, written + " in " + elapsed + " ms");
        return written;
    }

    /** The nexchange command on the PATH, run by root as an operator would. */
    private static String nexchange(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/usr/bin/nexchange"));
        command.addAll(List.of(args));
        return run(command, 0);
    }

    /** This build with another version: the package files unchanged, the control file's Version replaced. */
    private Path repackage(Path deb, String version) throws IOException, InterruptedException {
        Path tree = temp.resolve("repackaged");
        run(List.of("dpkg-deb", "-R", deb.toString(), tree.toString()), 0);
        Path control = tree.resolve("DEBIAN/control");
        Files.writeString(control, Files.readString(control).replaceAll("(?m)^Version: .*$", "Version: " + version));
        Path newer = temp.resolve("nexchange_" + version + "_all.deb");
        run(List.of("dpkg-deb", "-Zgzip", "-z1", "--root-owner-group", "-b", tree.toString(), newer.toString()), 0);
        return newer;
    }

    private static void assertNothingLeft() throws IOException, InterruptedException {
        for (String path : List.of("/etc/nexchange", "/var/lib/nexchange", "/var/log/nexchange", "/usr/share/nexchange",
                "/usr/share/doc/nexchange", "/usr/bin/nexchange", "/etc/default/nexchange", UNIT.toString(),
                "/etc/systemd/system/multi-user.target.wants/nexchange.service")) {
            assertFalse(Files.exists(Path.of(path), java.nio.file.LinkOption.NOFOLLOW_LINKS), path + " is left after dpkg --purge");
        }
        assertEquals("", quiet(List.of("getent", "passwd", "nexchange")), "user nexchange is left after dpkg --purge");
        assertEquals("", quiet(List.of("getent", "group", "nexchange")), "group nexchange is left after dpkg --purge");
        assertEquals("", quiet(List.of("dpkg-query", "-W", "-f=${Status}", "nexchange")), "dpkg still knows nexchange");
    }

    private void stopQuietly() {
        if (service != null && service.isAlive()) {
            service.destroy();
            try {
                if (!service.waitFor(60, TimeUnit.SECONDS)) {
                    service.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                service.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Purges the package and what a half-finished run may have left, including a service process it started. */
    private static void purgeQuietly() {
        try {
            if (Files.exists(MARKER)) {
                String pid = Files.readString(MARKER).strip();
                if (!pid.isEmpty()) {
                    ProcessHandle.of(Long.parseLong(pid))
                            .filter(p -> p.info().commandLine().orElse("").contains("/usr/share/nexchange"))
                            .ifPresent(p -> {
                                p.destroy();
                                p.onExit().orTimeout(60, TimeUnit.SECONDS).exceptionally(e -> {
                                    p.destroyForcibly();
                                    return p;
                                }).join();
                            });
                }
            }
            quiet(List.of("dpkg", "--purge", "nexchange"));
        } catch (IOException | RuntimeException e) {
            System.err.println("DebianPackageIT: cleanup failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String installedVersion() throws IOException, InterruptedException {
        return run(List.of("dpkg-query", "-W", "-f=${Version}", "nexchange"), 0).strip();
    }

    /** Runs a command with stdin closed (a dpkg prompt fails instead of hanging); checks its exit code; returns its output. */
    private static String run(List<String> command, int expectedExit) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish within 5 minutes:\n" + output);
        }
        if (expectedExit == 0) {
            assertEquals(0, process.exitValue(), command + " failed:\n" + output);
        } else {
            assertNotEquals(0, process.exitValue(), command + " succeeded, expected a failure:\n" + output);
        }
        return output;
    }

    /** Output of a command, or "" when it fails. */
    private static String quiet(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return process.waitFor() == 0 ? output : "";
    }

    /** SHA-256 of the regular files of a directory (all of them, or the named ones). */
    private static Map<String, String> checksums(Path directory, String... names) throws IOException {
        Map<String, String> sums = new TreeMap<>();
        List<Path> files;
        if (names.length > 0) {
            files = Stream.of(names).map(directory::resolve).toList();
        } else {
            try (Stream<Path> listed = Files.list(directory)) {
                files = listed.filter(Files::isRegularFile).toList();
            }
        }
        for (Path file : files) {
            try {
                sums.put(file.getFileName().toString(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return sums;
    }

    private static int count(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            count++;
        }
        return count;
    }

    private static long millis(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
