package io.nexchange.it.probe.greeter;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.function.Supplier;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * Probe bundle for hot-deploy tests: offers a {@code Supplier<String>} whose greeting comes from the
 * bundle's own {@code Probe-Greeting} header, so two builds of the same class differ by manifest only.
 */
public final class GreeterActivator implements BundleActivator {
    @Override
    public void start(BundleContext context) {
        String greeting = context.getBundle().getHeaders().get("Probe-Greeting");
        String role = context.getBundle().getHeaders().get("Probe-Role");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("probe", role == null ? "greeter" : role);
        Supplier<String> supplier = () -> greeting;
        context.registerService(Supplier.class, supplier, properties);
    }

    @Override
    public void stop(BundleContext context) {
        // the framework unregisters the service
    }
}
