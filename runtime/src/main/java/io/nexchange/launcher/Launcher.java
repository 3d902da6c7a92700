package io.nexchange.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Boots Apache Felix from a distribution directory: framework properties from {@code etc/config.properties},
 * the bundles of {@code etc/startup.list} (the instance's, else the installation's) (SCR, Configuration Admin, FileInstall, Gogo and the features
 * service, which installs the boot features), then waits until the framework stops.
 */
final class Launcher {
    private final Path home;
    private final Path base;
    private final boolean interactiveShell;
    private Framework framework;
    private Logger log;

    Launcher(Path home, Path base, boolean interactiveShell) {
        this.home = home;
        this.base = base;
        this.interactiveShell = interactiveShell;
    }

    int runUntilStopped() throws Exception {
        start();
        Thread hook = new Thread(this::stop, "nexchange-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        framework.waitForStop(0);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook itself is stopping the framework
        }
        log.info("Nexchange stopped");
        return 0;
    }

    /** Boots the framework and returns once the startup bundles are started. */
    Framework start() throws Exception {
        long startedAt = System.currentTimeMillis();
        RuntimeHome.initializeBase(home, base);
        System.setProperty("nexchange.home", home.toString());
        System.setProperty("nexchange.base", base.toString());
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", logbackConfiguration(base, System.getenv("NEXCHANGE_LOGGING")).toString());
        }
        // libraries logging through java.util.logging (OkHttp, the JDK's HTTP client) end up in the same log
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        log = LoggerFactory.getLogger("io.nexchange.launcher");

        Map<String, String> config = frameworkProperties(startedAt);
        framework = new FrameworkFactory().newFramework(withFelixLogger(config));
        framework.init();
        List<Bundle> bundles = installStartupBundles(framework, log);
        framework.start();
        for (Bundle bundle : bundles) {
            if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                bundle.start();
            }
        }
        framework.adapt(FrameworkStartLevel.class).setStartLevel(
                Integer.parseInt(config.getOrDefault("org.osgi.framework.startlevel.beginning", "100")));
        log.info("Nexchange started from {} (instance {}) in {} ms (Felix {}, Java {})", home, base,
                System.currentTimeMillis() - startedAt, framework.getVersion(), Runtime.version());
        return framework;
    }

    /**
     * The logging configuration of the instance: {@code etc/logback-journal.xml} when {@code NEXCHANGE_LOGGING=journal}
     * (the systemd unit sets it: the console without timestamps and with syslog priority prefixes, which journald
     * reads), else {@code etc/logback.xml}.
     */
    static Path logbackConfiguration(Path base, String logging) {
        if (logging == null || logging.isBlank() || logging.equals("file")) {
            return base.resolve("etc/logback.xml");
        }
        if (!logging.equals("journal")) {
            throw new IllegalArgumentException("NEXCHANGE_LOGGING=" + logging + " is not known: use 'journal' (systemd) or 'file'");
        }
        Path journal = base.resolve("etc/logback-journal.xml");
        if (!Files.isRegularFile(journal)) {
            throw new IllegalArgumentException("NEXCHANGE_LOGGING=journal needs " + journal + " (copy it from the installation's etc/)");
        }
        return journal;
    }

    /**
     * The framework bundles to install: the instance's {@code etc/startup.list} if it has one (an operator's
     * override), else the installation's, which names the bundle versions that installation ships: an instance
     * keeps working when the installation is upgraded.
     */
    static Path startupList(Path home, Path base) {
        Path own = base.resolve("etc/startup.list");
        return Files.isRegularFile(own) ? own : home.resolve("etc/startup.list");
    }

    void stop() {
        try {
            log.info("Stopping Nexchange");
            framework.stop();
            framework.waitForStop(30_000);
        } catch (BundleException | InterruptedException e) {
            log.warn("Framework did not stop cleanly: {}", e.toString());
        }
    }

    private Map<String, String> frameworkProperties(long startedAt) throws IOException {
        Properties file = RuntimeHome.readCfg(base.resolve("etc/config.properties"));
        Map<String, String> known = new HashMap<>();
        known.put("nexchange.home", home.toString());
        known.put("nexchange.base", base.toString());
        Map<String, String> config = new HashMap<>();
        for (String name : file.stringPropertyNames()) {
            config.put(name, RuntimeHome.substitute(file.getProperty(name), known));
        }
        // -Dname=value on the command line overrides etc/config.properties
        for (String name : System.getProperties().stringPropertyNames()) {
            if (config.containsKey(name) || name.startsWith("felix.") || name.startsWith("nexchange.")) {
                config.put(name, System.getProperty(name));
            }
        }
        config.put("nexchange.home", home.toString());
        config.put("nexchange.base", base.toString());
        config.put("nexchange.started", Long.toString(startedAt));
        config.put("gosh.args", interactiveShell ? "" : "--nointeractive");
        return config;
    }

    private static Map<String, Object> withFelixLogger(Map<String, String> config) {
        Map<String, Object> properties = new HashMap<>(config);
        properties.put("felix.log.logger", new FelixSlf4jLogger());
        return properties;
    }

    /** Installs the bundles listed in {@link #startupList} ({@code <start level> <group>/<artifact>/<version>}). */
    private List<Bundle> installStartupBundles(Framework framework, Logger log) throws IOException, BundleException {
        List<Bundle> installed = new ArrayList<>();
        Path list = startupList(home, base);
        int lineNumber = 0;
        for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
            lineNumber++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] parts = trimmed.split("\\s+");
            if (parts.length != 2) {
                throw new IllegalArgumentException(list + " line " + lineNumber
                        + ": expected '<start level> <group>/<artifact>/<version>', got '" + trimmed + "'");
            }
            Path jar = MavenLayout.resolve(home.resolve("system"), parts[1]);
            if (!Files.isRegularFile(jar)) {
                throw new IllegalArgumentException(list + " line " + lineNumber + ": " + jar + " is missing");
            }
            Bundle bundle = framework.getBundleContext().installBundle(jar.toUri().toString());
            bundle.adapt(BundleStartLevel.class).setStartLevel(Integer.parseInt(parts[0]));
            installed.add(bundle);
            log.debug("installed {} {}", bundle.getSymbolicName(), bundle.getVersion());
        }
        return installed;
    }
}
