package io.nexchange.sandbox.internal.osgi;

import io.nexchange.sandbox.SandboxOptions;
import io.nexchange.sandbox.SandboxServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one sandbox per factory configuration {@code io.nexchange.sandbox}. */
@Component(configurationPid = "io.nexchange.sandbox", configurationPolicy = ConfigurationPolicy.REQUIRE, service = {},
        immediate = true)
@Designate(ocd = SandboxComponentConfiguration.class, factory = true)
public final class SandboxComponent {
    private static final Logger LOG = LoggerFactory.getLogger(SandboxComponent.class);
    private final SandboxServer server;

    @Activate
    public SandboxComponent(SandboxComponentConfiguration config, org.osgi.framework.BundleContext context) throws IOException {
        this(options(config, instanceDirectory(context)));
    }

    /** Relative state directories are below the runtime's instance directory (etc, data, log). */
    private static Path instanceDirectory(org.osgi.framework.BundleContext context) {
        String base = context.getProperty("nexchange.base");
        return Path.of(base == null ? "." : base);
    }

    SandboxComponent(SandboxOptions options) throws IOException {
        this.server = SandboxServer.start(options);
        LOG.info("Sandbox tenant {} serving {} (authority {}, client id {}, secret in {}, truststore {})", server.tenantId(),
                server.graphBaseUrl(), server.authority(), server.demoApp().clientId(), server.demoSecretFile(), server.truststorePath());
    }

    static SandboxOptions options(SandboxComponentConfiguration c) {
        return options(c, Path.of("."));
    }

    static SandboxOptions options(SandboxComponentConfiguration c, Path base) {
        return SandboxOptions.defaults().port(c.port()).users(c.users()).seed(c.seed()).stateDir(base.resolve(c.stateDir()))
                .eventsPerMailbox(c.eventsPerMailbox()).contactsPerMailbox(c.contactsPerMailbox())
                .mailboxMix(c.mailboxMix()).cachedMailboxes(c.cachedMailboxes())
                .maxConcurrent(c.throttleMaxConcurrent())
                .windowRequests(c.throttleWindowRequests(), Duration.ofSeconds(c.throttleWindowSeconds()))
                .retryAfter(c.throttleRetryAfter()).tokenLifetimeSeconds(c.tokenLifetimeSeconds());
    }

    SandboxServer server() {
        return server;
    }

    @Deactivate
    void deactivate() {
        server.close();
        LOG.info("Sandbox tenant {} stopped", server.tenantId());
    }
}
