package io.nexchange.ops.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The runtime's one meter registry, published as a {@link MeterRegistry} service so every bundle adds
 * its meters to it, and rendered in Prometheus text format by {@code /metrics}.
 */
@Component(service = MetricsComponent.class, immediate = true) // registers the MeterRegistry whether or not /metrics is served
public final class MetricsComponent {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final ServiceRegistration<MeterRegistry> registration;

    @Activate
    public MetricsComponent(BundleContext context) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("nexchange.registry", "prometheus");
        registration = context.registerService(MeterRegistry.class, registry, properties);
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
        gcMetrics.close();
        registry.close();
    }

    /** The Prometheus text exposition of every meter. */
    String scrape() {
        return registry.scrape();
    }
}
