package io.nexchange.ops.internal;

import io.nexchange.features.FeatureService;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/** A snapshot of the runtime for operators: framework, bundles, features, components, readiness. */
final class StatusReport {
    private final BundleContext context;
    private final ServiceComponentRuntime scr;
    private final Optional<FeatureService> features;

    StatusReport(BundleContext context, ServiceComponentRuntime scr, Optional<FeatureService> features) {
        this.context = context;
        this.scr = scr;
        this.features = features;
    }

    /** Components of Nexchange bundles that are not working, with the reason. Empty means ready. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        features.ifPresent(f -> problems.addAll(f.problems()));
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            if (!description.bundle.symbolicName.startsWith("io.nexchange.")) {
                continue;
            }
            if (!scr.isComponentEnabled(description)) {
                continue;
            }
            for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                if (configuration.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE) {
                    List<String> missing = new ArrayList<>();
                    for (var reference : configuration.unsatisfiedReferences) {
                        // constructor-injected references are named $000...; the service interface says more
                        String service = reference.name;
                        for (var declared : description.references) {
                            if (declared.name.equals(reference.name)) {
                                service = declared.interfaceName;
                            }
                        }
                        missing.add(service + (reference.target == null ? "" : " " + reference.target));
                    }
                    problems.add(description.name + ": waiting for " + String.join(", ", missing).strip());
                } else if (configuration.state == ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION) {
                    problems.add(description.name + ": waiting for its configuration");
                } else if (configuration.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    problems.add(description.name + ": failed to activate: " + configuration.failure);
                }
            }
        }
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getSymbolicName() != null && bundle.getSymbolicName().startsWith("io.nexchange.")
                    && bundle.getState() != Bundle.ACTIVE && bundle.getHeaders().get("Fragment-Host") == null) {
                problems.add(bundle.getSymbolicName() + ": bundle is " + state(bundle) + ", not active");
            }
        }
        return problems;
    }

    Map<String, Object> toMap() {
        Map<String, Object> status = new LinkedHashMap<>();
        Map<String, Object> runtime = new LinkedHashMap<>();
        String started = context.getProperty("nexchange.started");
        runtime.put("home", context.getProperty("nexchange.home"));
        runtime.put("instance", context.getProperty("nexchange.base"));
        runtime.put("frameworkStarted", started == null ? null : Instant.ofEpochMilli(Long.parseLong(started)).toString());
        runtime.put("frameworkStartedMillis", started == null ? null : Long.parseLong(started));
        runtime.put("uptimeSeconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
        runtime.put("java", Runtime.version().toString());
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        runtime.put("heapUsedBytes", heap.getUsed());
        runtime.put("heapMaxBytes", heap.getMax());
        status.put("runtime", runtime);
        List<String> problems = problems();
        status.put("ready", problems.isEmpty());
        status.put("problems", problems);
        features.ifPresent(f -> status.put("features", new ArrayList<>(f.installed())));
        status.put("sections", sections());
        data().forEach(status::putIfAbsent);
        List<Map<String, Object>> bundles = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", bundle.getBundleId());
            entry.put("symbolicName", bundle.getSymbolicName());
            entry.put("version", bundle.getVersion().toString());
            entry.put("state", state(bundle));
            entry.put("lastModified", bundle.getLastModified());
            bundles.add(entry);
        }
        status.put("bundles", bundles);
        return status;
    }

    String toText() {
        StringBuilder out = new StringBuilder();
        Map<String, Object> status = toMap();
        @SuppressWarnings("unchecked")
        Map<String, Object> runtime = (Map<String, Object>) status.get("runtime");
        out.append("Nexchange ").append(runtime.get("instance")).append(" (installation ").append(runtime.get("home")).append(")\n");
        out.append("  started   ").append(runtime.get("frameworkStarted")).append(" (up ")
                .append(runtime.get("uptimeSeconds")).append(" s)\n");
        out.append("  heap      ").append((Long) runtime.get("heapUsedBytes") / (1024 * 1024)).append(" MiB used\n");
        out.append("  features  ").append(status.getOrDefault("features", "(feature service not running)")).append('\n');
        long active = context.getBundles().length;
        out.append("  bundles   ").append(active).append(" installed\n");
        @SuppressWarnings("unchecked")
        List<String> problems = (List<String>) status.get("problems");
        out.append("  ready     ").append(problems.isEmpty() ? "yes" : "no").append('\n');
        for (String problem : problems) {
            out.append("    - ").append(problem).append('\n');
        }
        @SuppressWarnings("unchecked")
        Map<String, String> sections = (Map<String, String>) status.get("sections");
        sections.forEach((name, text) -> out.append('\n').append(name).append('\n').append(text.endsWith("\n") ? text : text + "\n"));
        return out.toString();
    }

    /**
     * Sections other bundles add to the status (the engine's per-mailbox table): services of type
     * {@code java.util.function.Supplier<String>} with the property {@value #SECTION}, a JDK type so that no bundle
     * needs an ops API for it.
     */
    Map<String, String> sections() {
        Map<String, String> sections = new java.util.TreeMap<>();
        collect(SECTION, (name, value) -> sections.put(name, String.valueOf(value)),
                (name, e) -> sections.put(name, "(not available: " + e.getMessage() + ")"));
        return sections;
    }

    static final String SECTION = "nexchange.status.section";

    /**
     * Structured parts of the JSON status (the engine's quarantine): services of type {@code Supplier} with the property
     * {@value #DATA}, whose value (maps, lists, strings, numbers) goes into the JSON under that name.
     */
    Map<String, Object> data() {
        Map<String, Object> data = new java.util.TreeMap<>();
        collect(DATA, data::put, (name, e) -> data.put(name, Map.of("error", String.valueOf(e.getMessage()))));
        return data;
    }

    /** Calls every {@code Supplier} service that has {@code property}, by the property's value. */
    private void collect(String property, java.util.function.BiConsumer<String, Object> value,
            java.util.function.BiConsumer<String, RuntimeException> failed) {
        try {
            @SuppressWarnings("rawtypes")
            java.util.Collection<org.osgi.framework.ServiceReference<java.util.function.Supplier>> references =
                    context.getServiceReferences(java.util.function.Supplier.class, "(" + property + "=*)");
            for (var reference : references) {
                @SuppressWarnings("unchecked")
                java.util.function.Supplier<Object> supplier = context.getService(reference);
                if (supplier == null) {
                    continue;
                }
                String name = String.valueOf(reference.getProperty(property));
                try {
                    value.accept(name, supplier.get());
                } catch (RuntimeException e) {
                    failed.accept(name, e);
                } finally {
                    context.ungetService(reference);
                }
            }
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static final String DATA = "nexchange.status.data";

    static String state(Bundle bundle) {
        switch (bundle.getState()) {
            case Bundle.ACTIVE:
                return "ACTIVE";
            case Bundle.RESOLVED:
                return "RESOLVED";
            case Bundle.INSTALLED:
                return "INSTALLED";
            case Bundle.STARTING:
                return "STARTING";
            case Bundle.STOPPING:
                return "STOPPING";
            default:
                return "UNINSTALLED";
        }
    }
}
