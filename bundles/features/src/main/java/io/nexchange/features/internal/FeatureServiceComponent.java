package io.nexchange.features.internal;

import io.nexchange.features.Feature;
import io.nexchange.features.FeatureException;
import io.nexchange.features.FeatureService;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offers {@link FeatureService} and installs the boot features. Bundle operations run on one thread of
 * their own: never inside SCR's activation, and never two at once.
 */
@Component(immediate = true, configurationPid = "io.nexchange.features", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = FeatureServiceConfiguration.class)
public final class FeatureServiceComponent implements FeatureService {
    private static final Logger LOG = LoggerFactory.getLogger(FeatureServiceComponent.class);

    private final FeatureRepository repository;
    private final FeatureInstaller installer;
    private final java.util.concurrent.ConcurrentMap<String, String> problems = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "nexchange-features"));

    @Activate
    public FeatureServiceComponent(BundleContext context, FeatureServiceConfiguration config,
            @org.osgi.service.component.annotations.Reference org.osgi.service.cm.ConfigurationAdmin configurationAdmin)
            throws IOException {
        Path home = directory(context, "nexchange.home");
        Path base = directory(context, "nexchange.base");
        this.repository = FeatureRepository.load(home.resolve(config.repository()));
        this.installer = new FeatureInstaller(context, repository, home.resolve(config.system()),
                base.resolve(config.configDirectory()), base.resolve(config.stateFile()));
        List<String> boot = List.copyOf(FeatureInstaller.split(config.boot()));
        problems.put("boot", "boot features " + boot + " are being installed");
        Path etc = base.resolve(config.configDirectory());
        worker.submit(() -> {
            try {
                new EtcConfigurations(etc, configurationAdmin).awaitLoaded(java.time.Duration.ofSeconds(20));
                installer.boot(boot);
                problems.remove("boot");
                LOG.info("Boot features installed: {}", installer.installed());
            } catch (FeatureException | RuntimeException e) {
                problems.put("boot", "boot features not all installed: " + e.getMessage());
                LOG.error("Boot features could not all be installed: {}", e.getMessage(), e);
            }
        });
    }

    /** The installation (home) or instance (base) directory the launcher set; the working directory otherwise. */
    private static Path directory(BundleContext context, String property) {
        String value = context.getProperty(property);
        return Path.of(value == null ? "." : value);
    }

    @Deactivate
    void deactivate() {
        worker.shutdownNow();
    }

    @Override
    public List<Feature> available() {
        return repository.all();
    }

    @Override
    public Set<String> installed() {
        return call(installer::installed);
    }

    @Override
    public List<String> problems() {
        return List.copyOf(problems.values());
    }

    @Override
    public void install(String name) throws FeatureException {
        run(() -> installer.install(name, true));
    }

    @Override
    public void uninstall(String name) throws FeatureException {
        run(() -> installer.uninstall(name));
    }

    private interface Operation {
        void run() throws FeatureException;
    }

    private void run(Operation operation) throws FeatureException {
        Future<?> result = worker.submit(() -> {
            operation.run();
            return null;
        });
        try {
            result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FeatureException("interrupted while waiting for the feature operation", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof FeatureException) {
                throw (FeatureException) e.getCause();
            }
            throw new FeatureException(String.valueOf(e.getCause()), e.getCause());
        }
    }

    private <T> T call(java.util.concurrent.Callable<T> callable) {
        try {
            return worker.submit(callable).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
