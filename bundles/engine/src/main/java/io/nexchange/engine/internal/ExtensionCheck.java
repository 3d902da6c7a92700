package io.nexchange.engine.internal;

import io.nexchange.api.extension.ItemTransformer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the operator, in one line, when a bundle dropped into {@code deploy/} was built against an SPI this runtime
 * does not provide (it imports an {@code io.nexchange.api} package at a version range no installed API satisfies):
 * the framework refuses to resolve it, and its own error names an OSGi filter, not what to do. The sync goes on
 * without it; nothing else is affected.
 */
@Component(immediate = true, service = {})
public final class ExtensionCheck implements SynchronousBundleListener {
    private static final Logger LOG = LoggerFactory.getLogger(ExtensionCheck.class);
    private static final Pattern LOWER = Pattern.compile("\\(version>=([^)]+)\\)");
    private static final Pattern UPPER = Pattern.compile("\\(!\\(version>=([^)]+)\\)\\)");
    private static final Pattern PACKAGE = Pattern.compile("\\(osgi\\.wiring\\.package=([^)]+)\\)");

    private final BundleContext context;
    private final Bundle api;
    /** Bundle id to the last-modified stamp already reported, so each installed or updated jar is reported once. */
    private final Map<Long, Long> reported = new ConcurrentHashMap<>();

    @Activate
    public ExtensionCheck(BundleContext context) {
        this.context = context;
        this.api = FrameworkUtil.getBundle(ItemTransformer.class);
        context.addBundleListener(this);
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getState() == Bundle.INSTALLED) {
                check(bundle);
            }
        }
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(this);
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getType() == BundleEvent.INSTALLED || event.getType() == BundleEvent.UPDATED) {
            check(event.getBundle());
        }
    }

    /** Logs one WARN line per SPI package the bundle needs at a version this runtime does not have. */
    void check(Bundle bundle) {
        if (api == null || bundle.getBundleId() == api.getBundleId()) {
            return;
        }
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        BundleWiring apiWiring = api.adapt(BundleWiring.class);
        if (revision == null || apiWiring == null) {
            return;
        }
        List<BundleCapability> provided = apiWiring.getCapabilities(BundleRevision.PACKAGE_NAMESPACE);
        for (BundleRequirement requirement : revision.getDeclaredRequirements(BundleRevision.PACKAGE_NAMESPACE)) {
            String filter = requirement.getDirectives().get("filter");
            Matcher pkg = filter == null ? null : PACKAGE.matcher(filter);
            if (pkg == null || !pkg.find() || !pkg.group(1).startsWith("io.nexchange.api")) {
                continue;
            }
            String name = pkg.group(1);
            BundleCapability same = provided.stream().filter(c -> name.equals(c.getAttributes().get(BundleRevision.PACKAGE_NAMESPACE)))
                    .findFirst().orElse(null);
            if (same != null && matches(filter, same)) {
                continue;
            }
            Long stamp = bundle.getLastModified();
            if (stamp.equals(reported.put(bundle.getBundleId(), stamp))) {
                return; // this very jar was reported already
            }
            LOG.warn("Extension {} {} ({}) is refused: it was built against {} {} but this runtime provides {}. Rebuild it "
                    + "against this runtime's API (nexchange-api {}, see docs/extending.md); it is not started, the sync "
                    + "goes on without it", bundle.getSymbolicName(), bundle.getVersion(), bundle.getLocation(), name,
                    range(filter), same == null ? "no such package" : name + " " + same.getAttributes().get("version"),
                    api.getVersion());
            return;
        }
    }

    private static boolean matches(String filter, BundleCapability capability) {
        try {
            Filter f = FrameworkUtil.createFilter(filter);
            return f.matches(capability.getAttributes());
        } catch (InvalidSyntaxException e) {
            return true; // not ours to judge; the framework reports it
        }
    }

    /** {@code [3.0.0,4.0.0)} from the filter bnd and the framework write for an import range. */
    static String range(String filter) {
        Matcher lower = LOWER.matcher(filter);
        Matcher upper = UPPER.matcher(filter);
        String from = lower.find() ? lower.group(1) : "0.0.0";
        return upper.find() ? "[" + from + "," + upper.group(1) + ")" : ">= " + from;
    }
}
