package io.nexchange.engine.internal;

import java.nio.file.Path;
import org.osgi.framework.BundleContext;

/** Relative paths in configuration are below the runtime's instance directory (where etc, data and log are), as in vdir. */
final class InstanceDirectory {
    private InstanceDirectory() {}

    static Path resolve(BundleContext context, String configured) {
        String base = context.getProperty("nexchange.base");
        return Path.of(base == null ? "." : base).resolve(configured);
    }
}
