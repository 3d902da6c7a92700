package io.nexchange.features.internal;

import io.nexchange.features.Feature;
import io.nexchange.features.FeatureException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs and removes features in a running framework. Not thread-safe: the component calls it from
 * one thread.
 */
final class FeatureInstaller {
    private static final Logger LOG = LoggerFactory.getLogger(FeatureInstaller.class);

    private final BundleContext context;
    private final FeatureRepository repository;
    private final Path systemRepository;
    private final Path configDirectory;
    private final Path stateFile;
    private final Set<String> installed = new LinkedHashSet<>();
    /** Bundle locations this installer put into the framework, the only ones it will remove. */
    private final Set<String> ownedLocations = new LinkedHashSet<>();

    FeatureInstaller(BundleContext context, FeatureRepository repository, Path systemRepository,
            Path configDirectory, Path stateFile) {
        this.context = context;
        this.repository = repository;
        this.systemRepository = systemRepository;
        this.configDirectory = configDirectory;
        this.stateFile = stateFile;
    }

    Set<String> installed() {
        return new TreeSet<>(installed);
    }

    /**
     * Installs the boot features, adjusted by what operators installed or removed at runtime before
     * (kept in the state file).
     */
    void boot(Collection<String> bootFeatures) throws FeatureException {
        Properties state = readState();
        Set<String> wanted = new LinkedHashSet<>(bootFeatures);
        wanted.addAll(split(state.getProperty("installed", "")));
        wanted.removeAll(split(state.getProperty("removed", "")));
        for (String name : wanted) {
            install(name, false);
        }
    }

    void install(String name, boolean record) throws FeatureException {
        Feature feature = repository.find(name)
                .orElseThrow(() -> new FeatureException("no feature named '" + name + "'; available: "
                        + repository.all().stream().map(Feature::name).collect(Collectors.joining(", "))));
        List<Feature> order = new ArrayList<>();
        closure(feature, order, new LinkedHashSet<>());
        for (Feature each : order) {
            if (!installed.contains(each.name())) {
                installOne(each);
                installed.add(each.name());
            }
        }
        if (record) {
            recordChange(name, true);
        }
    }

    void uninstall(String name) throws FeatureException {
        if (!installed.contains(name)) {
            throw new FeatureException("feature '" + name + "' is not installed; installed: " + installed);
        }
        for (String other : installed) {
            Feature feature = repository.find(other).orElseThrow();
            if (!other.equals(name) && feature.requires().contains(name)) {
                throw new FeatureException("feature '" + name + "' is required by installed feature '" + other
                        + "'; uninstall that first");
            }
        }
        Feature feature = repository.find(name).orElseThrow();
        Set<String> stillNeeded = new LinkedHashSet<>();
        for (String other : installed) {
            if (!other.equals(name)) {
                for (String coordinates : repository.find(other).orElseThrow().bundles()) {
                    stillNeeded.add(location(coordinates));
                }
            }
        }
        List<Bundle> removed = new ArrayList<>();
        List<String> coordinates = new ArrayList<>(feature.bundles());
        java.util.Collections.reverse(coordinates);
        for (String each : coordinates) {
            String location = location(each);
            Bundle bundle = context.getBundle(location);
            if (bundle != null && ownedLocations.contains(location) && !stillNeeded.contains(location)) {
                try {
                    bundle.uninstall();
                    removed.add(bundle);
                    ownedLocations.remove(location);
                } catch (BundleException e) {
                    throw new FeatureException("could not uninstall " + bundle.getSymbolicName() + " of feature '"
                            + name + "': " + e.getMessage(), e);
                }
            }
        }
        installed.remove(name);
        refresh(removed);
        recordChange(name, false);
        LOG.info("Feature '{}' uninstalled ({} bundles removed)", name, removed.size());
    }

    private void closure(Feature feature, List<Feature> order, Set<String> visiting) throws FeatureException {
        if (order.contains(feature)) {
            return;
        }
        if (!visiting.add(feature.name())) {
            throw new FeatureException("features require each other in a cycle through '" + feature.name() + "'");
        }
        for (String required : feature.requires()) {
            closure(repository.find(required).orElseThrow(), order, visiting);
        }
        order.add(feature);
    }

    private void installOne(Feature feature) throws FeatureException {
        writeDefaultConfigs(feature);
        List<Bundle> fresh = new ArrayList<>();
        List<Bundle> toStart = new ArrayList<>();
        try {
            for (String coordinates : feature.bundles()) {
                String location = location(coordinates);
                Bundle bundle = context.getBundle(location);
                if (bundle == null) {
                    bundle = alreadyInstalled(coordinates);
                }
                if (bundle == null) {
                    if (!Files.isRegularFile(jar(coordinates))) {
                        throw new FeatureException("feature '" + feature.name() + "': bundle " + coordinates
                                + " is missing from " + systemRepository);
                    }
                    bundle = context.installBundle(location);
                    fresh.add(bundle);
                    ownedLocations.add(location);
                }
                toStart.add(bundle);
            }
            for (Bundle bundle : toStart) {
                if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null && bundle.getState() != Bundle.ACTIVE) {
                    bundle.start();
                }
            }
            LOG.info("Feature '{}' installed ({} bundles, {} new)", feature.name(), toStart.size(), fresh.size());
        } catch (BundleException | RuntimeException e) {
            for (Bundle bundle : fresh) {
                try {
                    bundle.uninstall();
                } catch (BundleException | IllegalStateException ignored) {
                    // best effort: the original failure is what the operator needs to see
                }
                ownedLocations.remove(bundle.getLocation());
            }
            refresh(fresh);
            throw new FeatureException("feature '" + feature.name() + "' could not be installed: " + e.getMessage(), e);
        }
    }

    /** A bundle of the same name and version installed by other means (etc/startup.list, deploy/). */
    private Bundle alreadyInstalled(String coordinates) {
        Path jar = jar(coordinates);
        if (!Files.isRegularFile(jar)) {
            return null;
        }
        try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
            java.util.jar.Attributes main = file.getManifest().getMainAttributes();
            String bsn = main.getValue(Constants.BUNDLE_SYMBOLICNAME);
            String version = main.getValue(Constants.BUNDLE_VERSION);
            if (bsn == null) {
                return null;
            }
            String name = bsn.split(";")[0].strip();
            for (Bundle bundle : context.getBundles()) {
                if (name.equals(bundle.getSymbolicName())
                        && org.osgi.framework.Version.parseVersion(version).equals(bundle.getVersion())) {
                    return bundle;
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private void writeDefaultConfigs(Feature feature) throws FeatureException {
        for (var entry : feature.configs().entrySet()) {
            Path target = configDirectory.resolve(entry.getKey());
            if (Files.exists(target)) {
                continue;
            }
            try {
                Files.createDirectories(configDirectory);
                Path temp = Files.createTempFile(configDirectory, ".feature-", ".tmp");
                Files.writeString(temp, "# Default of feature '" + feature.name() + "'; edit freely, it is not overwritten.\n"
                        + entry.getValue(), StandardCharsets.UTF_8);
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new FeatureException("feature '" + feature.name() + "': could not write default configuration "
                        + target + ": " + e.getMessage(), e);
            }
        }
    }

    private void refresh(Collection<Bundle> bundles) {
        if (bundles.isEmpty()) {
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class)
                .refreshBundles(bundles, event -> {
                    if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                        done.countDown();
                    }
                });
        try {
            done.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Path jar(String coordinates) {
        String[] gav = coordinates.split("/");
        if (gav.length != 3) {
            throw new IllegalArgumentException("not Maven coordinates group/artifact/version: '" + coordinates + "'");
        }
        return systemRepository.resolve(gav[0].replace('.', '/')).resolve(gav[1]).resolve(gav[2])
                .resolve(gav[1] + "-" + gav[2] + ".jar");
    }

    private String location(String coordinates) {
        return jar(coordinates).toUri().toString();
    }

    private Properties readState() {
        Properties state = new Properties();
        if (Files.isRegularFile(stateFile)) {
            try (Reader reader = Files.newBufferedReader(stateFile, StandardCharsets.UTF_8)) {
                state.load(reader);
            } catch (IOException e) {
                LOG.warn("Could not read {}: {}; using the boot features only", stateFile, e.toString());
            }
        }
        return state;
    }

    /** Remembers an operator's install or uninstall so that it survives a restart. */
    private void recordChange(String name, boolean nowInstalled) throws FeatureException {
        Properties state = readState();
        Set<String> added = new TreeSet<>(split(state.getProperty("installed", "")));
        Set<String> removed = new TreeSet<>(split(state.getProperty("removed", "")));
        if (nowInstalled) {
            added.add(name);
            removed.remove(name);
        } else {
            removed.add(name);
            added.remove(name);
        }
        state.setProperty("installed", String.join(",", added));
        state.setProperty("removed", String.join(",", removed));
        try {
            Files.createDirectories(stateFile.getParent());
            Path temp = Files.createTempFile(stateFile.getParent(), ".features-", ".tmp");
            try (Writer writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                state.store(writer, "Features installed or removed at runtime (on top of the boot setting)");
            }
            Files.move(temp, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new FeatureException("could not record the feature change in " + stateFile + ": " + e.getMessage(), e);
        }
    }

    static Set<String> split(String list) {
        return Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }
}
