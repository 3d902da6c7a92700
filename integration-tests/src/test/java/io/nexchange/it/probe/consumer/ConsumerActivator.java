package io.nexchange.it.probe.consumer;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.function.Supplier;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.ManagedService;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Probe bundle for hot-deploy tests: consumes the greeter service dynamically, takes a suffix from
 * configuration pid {@code io.nexchange.it.probe}, and answers the console command {@code probe:greet}.
 */
public final class ConsumerActivator implements BundleActivator {
    private ServiceTracker<Supplier<?>, Supplier<?>> tracker;

    @Override
    public void start(BundleContext context) throws InvalidSyntaxException {
        tracker = new ServiceTracker<>(context,
                context.createFilter("(&(objectClass=java.util.function.Supplier)(probe=greeter))"), null);
        tracker.open();
        Command command = new Command(tracker);
        Dictionary<String, Object> managed = new Hashtable<>();
        managed.put(Constants.SERVICE_PID, "io.nexchange.it.probe");
        context.registerService(ManagedService.class, command, managed);
        Dictionary<String, Object> gogo = new Hashtable<>();
        gogo.put("osgi.command.scope", "probe");
        gogo.put("osgi.command.function", new String[] {"greet"});
        context.registerService(Object.class, command, gogo);
    }

    @Override
    public void stop(BundleContext context) {
        tracker.close();
    }

    /** The console command and configuration target. */
    public static final class Command implements ManagedService {
        private final ServiceTracker<Supplier<?>, Supplier<?>> tracker;
        private volatile String suffix = "";

        Command(ServiceTracker<Supplier<?>, Supplier<?>> tracker) {
            this.tracker = tracker;
        }

        public String greet() {
            Supplier<?> greeter = tracker.getService();
            return (greeter == null ? "no greeter" : String.valueOf(greeter.get())) + suffix;
        }

        @Override
        public void updated(Dictionary<String, ?> properties) {
            Object value = properties == null ? null : properties.get("suffix");
            suffix = value == null ? "" : value.toString();
        }
    }
}
