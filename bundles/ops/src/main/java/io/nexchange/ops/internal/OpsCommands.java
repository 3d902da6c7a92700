package io.nexchange.ops.internal;

import io.nexchange.features.Feature;
import io.nexchange.features.FeatureException;
import io.nexchange.features.FeatureService;
import java.util.Optional;
import java.util.Set;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

/** Console commands of the {@code nexchange} scope (Gogo finds them by the service properties). */
@Component(service = OpsCommands.class, property = {
    "osgi.command.scope=nexchange",
    "osgi.command.function=status",
    "osgi.command.function=bundles",
    "osgi.command.function=features"
})
public final class OpsCommands {
    private final BundleContext context;
    private final StatusReport report;
    private final FeatureService features;

    @Activate
    public OpsCommands(BundleContext context, @Reference ServiceComponentRuntime scr, @Reference FeatureService features) {
        this.context = context;
        this.features = features;
        this.report = new StatusReport(context, scr, Optional.of(features));
    }

    /** {@code nexchange:status}: runtime, features, readiness and what keeps it from being ready. */
    public String status() {
        return report.toText();
    }

    /** {@code nexchange:bundles}: every bundle with id, state and version. */
    public String bundles() {
        StringBuilder out = new StringBuilder(String.format("%4s  %-11s %-28s %s%n", "ID", "STATE", "VERSION", "BUNDLE"));
        for (Bundle bundle : context.getBundles()) {
            out.append(String.format("%4d  %-11s %-28s %s%n", bundle.getBundleId(), StatusReport.state(bundle),
                    bundle.getVersion(), bundle.getSymbolicName()));
        }
        return out.toString();
    }

    /**
     * {@code nexchange:features} lists features; {@code nexchange:features install NAME} and
     * {@code nexchange:features uninstall NAME} change them live.
     */
    public String features(String... args) throws FeatureException {
        if (args.length == 0 || args[0].equals("list")) {
            Set<String> installed = features.installed();
            StringBuilder out = new StringBuilder();
            for (Feature feature : features.available()) {
                out.append(String.format("[%s] %-12s %s%n", installed.contains(feature.name()) ? "x" : " ",
                        feature.name(), feature.description()));
            }
            return out.toString();
        }
        if (args.length == 2 && args[0].equals("install")) {
            features.install(args[1]);
            return "feature '" + args[1] + "' installed\n";
        }
        if (args.length == 2 && args[0].equals("uninstall")) {
            features.uninstall(args[1]);
            return "feature '" + args[1] + "' uninstalled\n";
        }
        return "usage: nexchange:features [list | install NAME | uninstall NAME]\n";
    }
}
