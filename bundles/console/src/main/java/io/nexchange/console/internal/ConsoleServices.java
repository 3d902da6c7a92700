package io.nexchange.console.internal;

import io.nexchange.api.state.SyncStateStore;
import io.nexchange.engine.control.EngineControl;
import io.nexchange.features.FeatureService;
import io.nexchange.state.overview.MailboxSummary;
import io.nexchange.state.overview.StateOverview;
import io.nexchange.throttling.ThrottleMonitor;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the console's pages read and do, in one place: the engine (required: the console feature requires it), the
 * state overview and the throttling monitor (shown when present), the feature service, the framework's bundles, the
 * action log, and the structured status data other bundles offer ({@code nexchange.status.data} suppliers, e.g. the
 * engine's quarantine).
 */
@Component(service = ConsoleServices.class)
public final class ConsoleServices {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleServices.class);
    static final String STATUS_DATA = "nexchange.status.data";

    final EngineControl engine;
    final FeatureService features;
    final BundleContext context;
    final ActionLog actions = new ActionLog(500);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile StateOverview overview;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ThrottleMonitor throttling;

    /** For the quarantine's retry and the kept conflicts and their restore (api.state 1.4); the rest of the state is read through the overview. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile SyncStateStore state;

    @Activate
    public ConsoleServices(@Reference EngineControl engine, @Reference FeatureService features, BundleContext context) {
        this.engine = engine;
        this.features = features;
        this.context = context;
    }

    /** Stored state per mailbox (items, pairs, last commit, lease), or empty when the state store is not there. */
    Map<String, MailboxSummary> summaries() {
        StateOverview current = overview;
        Map<String, MailboxSummary> byMailbox = new TreeMap<>();
        if (current != null) {
            try {
                current.summaries().forEach(s -> byMailbox.put(s.mailbox(), s));
            } catch (Exception e) {
                LOG.warn("Console: the state overview could not be read: {}", e.getMessage());
            }
        }
        return byMailbox;
    }

    Optional<MailboxSummary> summary(String mailbox) {
        StateOverview current = overview;
        if (current == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(current.summary(mailbox));
        } catch (Exception e) {
            LOG.warn("Console: the state of {} could not be read: {}", mailbox, e.getMessage());
            return Optional.empty();
        }
    }

    /** One named structured status part ({@code nexchange.status.data=NAME}), if a bundle offers it. */
    Optional<Object> statusData(String name) {
        try {
            @SuppressWarnings("rawtypes")
            java.util.Collection<ServiceReference<Supplier>> references = context.getServiceReferences(Supplier.class,
                    "(" + STATUS_DATA + "=" + name + ")");
            for (ServiceReference<?> reference : references) {
                Supplier<?> supplier = (Supplier<?>) context.getService(reference);
                if (supplier != null) {
                    try {
                        return Optional.ofNullable(supplier.get());
                    } finally {
                        context.ungetService(reference);
                    }
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
        return Optional.empty();
    }
}
