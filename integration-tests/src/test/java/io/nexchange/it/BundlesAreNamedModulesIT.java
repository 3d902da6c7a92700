package io.nexchange.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.testing.runtime.RuntimeProcess;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Nexchange bundle jar the build produces is also a named (not automatic, not open) JPMS module
 * whose name is the Bundle-SymbolicName and whose exports are exactly the bundle's Export-Package.
 */
class BundlesAreNamedModulesIT {

    @Test
    void everyNexchangeBundleIsANamedModuleExportingWhatTheBundleExports() throws Exception {
        List<Path> jars = nexchangeBundleJars();
        assertTrue(jars.size() >= 3, "found only " + jars);
        List<String> failures = new ArrayList<>();
        for (Path jar : jars) {
            String bsn;
            Set<String> exportPackage;
            Set<String> embeddedOnly = new TreeSet<>();
            try (JarFile file = new JarFile(jar.toFile())) {
                var attributes = file.getManifest().getMainAttributes();
                bsn = attributes.getValue("Bundle-SymbolicName");
                exportPackage = packageNames(attributes.getValue("Export-Package"));
                // a bundle that embeds libraries (Bundle-ClassPath: lib/x.jar) may re-export their packages; they
                // are not the module's own packages, so JPMS cannot export them: compare the jar's own packages only
                Set<String> own = file.stream().map(e -> e.getName())
                        .filter(n -> n.endsWith(".class") && n.indexOf('/') > 0)
                        .map(n -> n.substring(0, n.lastIndexOf('/')).replace('/', '.'))
                        .collect(Collectors.toCollection(TreeSet::new));
                for (String exported : exportPackage) {
                    if (!own.contains(exported)) {
                        embeddedOnly.add(exported);
                    }
                }
                exportPackage.removeAll(embeddedOnly);
            }
            if (bsn == null) {
                continue; // not a bundle (e.g. the launcher)
            }
            bsn = bsn.split(";")[0].strip();
            Set<ModuleReference> modules = ModuleFinder.of(jar).findAll();
            assertEquals(1, modules.size(), jar.toString());
            ModuleDescriptor descriptor = modules.iterator().next().descriptor();
            if (descriptor.isAutomatic()) {
                failures.add(jar.getFileName() + ": automatic module, no module-info.class");
                continue;
            }
            if (descriptor.isOpen()) {
                failures.add(jar.getFileName() + ": open module");
            }
            if (!descriptor.name().equals(bsn)) {
                failures.add(jar.getFileName() + ": module " + descriptor.name() + " but bundle " + bsn);
            }
            Set<String> moduleExports = descriptor.exports().stream().filter(e -> !e.isQualified())
                    .map(ModuleDescriptor.Exports::source).collect(Collectors.toCollection(TreeSet::new));
            if (!moduleExports.equals(exportPackage)) {
                failures.add(jar.getFileName() + ": module exports " + moduleExports + " but Export-Package " + exportPackage);
            }
            System.out.printf("%-40s module %-36s exports %s%s%n", jar.getFileName(), descriptor.name(), moduleExports,
                    embeddedOnly.isEmpty() ? "" : " (bundle also re-exports " + embeddedOnly.size() + " packages of embedded jars)");
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /** Our bundles in the distribution and every bundle module's own jar in the reactor. */
    private static List<Path> nexchangeBundleJars() throws Exception {
        Set<Path> jars = new TreeSet<>();
        Path system = RuntimeProcess.distribution().resolve("system/io/nexchange");
        try (Stream<Path> files = Files.walk(system)) {
            files.filter(p -> p.toString().endsWith(".jar")).forEach(jars::add);
        }
        Path bundles = RuntimeProcess.distribution().resolve("../../../bundles").normalize();
        try (Stream<Path> modules = Files.list(bundles)) {
            for (Path module : (Iterable<Path>) modules::iterator) {
                Path target = module.resolve("target");
                if (Files.isDirectory(target)) {
                    try (Stream<Path> files = Files.list(target)) {
                        files.filter(p -> p.getFileName().toString().matches("nexchange-.*\\.jar")
                                && !p.getFileName().toString().matches(".*-(sources|tests|javadoc)\\.jar")).forEach(jars::add);
                    }
                }
            }
        }
        assertFalse(jars.isEmpty());
        return new ArrayList<>(jars);
    }

    /** The package names of an Export-Package header (attributes and quoted values skipped). */
    static Set<String> packageNames(String header) {
        Set<String> names = new TreeSet<>();
        if (header == null) {
            return names;
        }
        StringBuilder clause = new StringBuilder();
        boolean quoted = false;
        for (char c : (header + ",").toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                Arrays.stream(clause.toString().split(";")).map(String::strip)
                        .filter(part -> !part.contains("=") && !part.isEmpty()).forEach(names::add);
                clause.setLength(0);
            } else {
                clause.append(c);
            }
        }
        return names;
    }
}
