package io.nexchange.testing.osgi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The packages a bundle on the test class path exports, with their versions, in the form
 * {@code FRAMEWORK_SYSTEMPACKAGES_EXTRA} takes. Tests that share the SPI's types with the bundles they boot put the SPI
 * on the system bundle; reading its versions from the bundle's own manifest keeps them equal to what bnd baselined, so a
 * minor version bump of an SPI package needs no edit of every such test.
 */
public final class ClassPathExports {
    private ClassPathExports() {}

    /** {@code pkg;version=V,...} for every package the bundle holding {@code member} exports. */
    public static String of(Class<?> member) {
        try {
            Path location = Path.of(member.getProtectionDomain().getCodeSource().getLocation().toURI());
            Manifest manifest;
            if (Files.isDirectory(location)) {
                try (InputStream in = Files.newInputStream(location.resolve("META-INF/MANIFEST.MF"))) {
                    manifest = new Manifest(in);
                }
            } else {
                try (JarFile jar = new JarFile(location.toFile())) {
                    manifest = jar.getManifest();
                }
            }
            String exports = manifest == null ? null : manifest.getMainAttributes().getValue("Export-Package");
            if (exports == null) {
                throw new IllegalStateException(location + " has no Export-Package header: is it a bundle built by bnd?");
            }
            return String.join(",", versioned(exports));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The clauses of an Export-Package header as {@code pkg;version=V}, directives and other attributes left out. */
    static List<String> versioned(String header) {
        List<String> result = new ArrayList<>();
        for (String clause : split(header, ',')) {
            List<String> packages = new ArrayList<>();
            String version = "0.0.0";
            for (String part : split(clause, ';')) {
                String p = part.trim();
                int eq = p.indexOf('=');
                if (eq < 0) {
                    packages.add(p);
                } else if (p.substring(0, eq).trim().equals("version")) {
                    version = p.substring(eq + 1).trim().replace("\"", "");
                }
            }
            for (String pkg : packages) {
                result.add(pkg + ";version=" + version);
            }
        }
        return result;
    }

    /** Splits at {@code separator} outside double quotes ({@code uses:="a,b"} holds commas). */
    private static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : text.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == separator && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (!current.toString().isBlank()) {
            parts.add(current.toString());
        }
        return parts;
    }
}
