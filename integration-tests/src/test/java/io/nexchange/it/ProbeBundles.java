package io.nexchange.it;

import aQute.bnd.osgi.Builder;
import aQute.bnd.osgi.Jar;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Builds the probe bundles of the integration tests from the compiled test classes, with bnd. */
final class ProbeBundles {
    private ProbeBundles() {}

    static Path greeter(Path target, String symbolicName, String version, String greeting, String role) throws Exception {
        return build(target, Map.of(
                "Bundle-SymbolicName", symbolicName,
                "Bundle-Version", version,
                "Bundle-Activator", "io.nexchange.it.probe.greeter.GreeterActivator",
                "Private-Package", "io.nexchange.it.probe.greeter",
                "Probe-Greeting", greeting,
                "Probe-Role", role));
    }

    static Path consumer(Path target) throws Exception {
        return build(target, Map.of(
                "Bundle-SymbolicName", "io.nexchange.it.probe.consumer",
                "Bundle-Version", "1.0.0",
                "Bundle-Activator", "io.nexchange.it.probe.consumer.ConsumerActivator",
                "Private-Package", "io.nexchange.it.probe.consumer"));
    }

    private static Path build(Path target, Map<String, String> instructions) throws Exception {
        try (Builder builder = new Builder()) {
            instructions.forEach(builder::setProperty);
            builder.setProperty("-noextraheaders", "true");
            builder.setClasspath(classpath());
            Jar jar = builder.build();
            if (!builder.isOk()) {
                throw new IllegalStateException("bnd could not build " + instructions.get("Bundle-SymbolicName") + ": "
                        + builder.getErrors());
            }
            Files.createDirectories(target.getParent());
            jar.write(target.toFile());
            return target;
        }
    }

    /** The probe classes and the OSGi APIs they import (so bnd can version the imports). */
    private static File[] classpath() throws Exception {
        return new File[] {
            location(ProbeBundles.class),
            location(org.osgi.framework.Bundle.class),
            location(org.osgi.service.cm.ManagedService.class)
        };
    }

    private static File location(Class<?> type) throws Exception {
        return new File(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
