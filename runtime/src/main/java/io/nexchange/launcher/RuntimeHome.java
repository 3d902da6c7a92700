package io.nexchange.launcher;

import java.io.IOException;
import java.io.Reader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The distribution directory (bin/, lib/, etc/, system/, features/, deploy/, data/, log/) and its files. */
final class RuntimeHome {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:]+)(?::-([^}]*))?}");

    private RuntimeHome() {}

    /** {@code -Dnexchange.home}, else the parent of the directory holding the launcher jar. */
    static Path locate() throws URISyntaxException {
        String configured = System.getProperty("nexchange.home");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return jar.getParent().getParent().toAbsolutePath().normalize();
    }

    /**
     * The instance directory: {@code -Dnexchange.base}, else {@code NEXCHANGE_BASE}, else {@code fallback}.
     */
    static Path base(Path fallback) {
        String configured = System.getProperty("nexchange.base");
        if (configured == null || configured.isBlank()) {
            configured = System.getenv("NEXCHANGE_BASE");
        }
        return configured == null || configured.isBlank() ? fallback : Path.of(configured).toAbsolutePath().normalize();
    }

    /**
     * Gives a new instance directory its etc/ (the distribution's defaults but startup.list, which belongs to the
     * installation, then the files of {@code overlay} if given) and empty data/, log/, deploy/. An existing etc/ is
     * left as it is.
     */
    static void initializeBase(Path home, Path base, Path overlay) throws IOException {
        Path etc = base.resolve("etc");
        if (!Files.isDirectory(etc)) {
            Files.createDirectories(etc);
            copyFiles(home.resolve("etc"), etc);
            if (!home.equals(base)) {
                Files.deleteIfExists(etc.resolve("startup.list"));
            }
            if (overlay != null) {
                copyFiles(overlay, etc);
            }
        }
        for (String dir : new String[] {"data", "log", "deploy"}) {
            Files.createDirectories(base.resolve(dir));
        }
    }

    static void initializeBase(Path home, Path base) throws IOException {
        initializeBase(home, base, null);
    }

    /** Copies the regular files of {@code from} (if it is a directory) into {@code to}, replacing what is there. */
    static void copyFiles(Path from, Path to) throws IOException {
        if (from.equals(to) || !Files.isDirectory(from)) {
            return;
        }
        try (var files = Files.list(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file)) {
                    Files.copy(file, to.resolve(file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    static Properties readCfg(Path file) throws IOException {
        Properties properties = new Properties();
        if (Files.isRegularFile(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
        }
        return properties;
    }

    /**
     * Replaces {@code ${name}} and {@code ${name:-default}} with system properties, then {@code extra},
     * then environment variables ({@code ${env:NAME}}).
     */
    static String substitute(String value, Map<String, String> extra) {
        Matcher matcher = PLACEHOLDER.matcher(value);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String replacement;
            if (name.startsWith("env:")) {
                replacement = System.getenv(name.substring(4));
            } else {
                replacement = System.getProperty(name, extra.get(name));
            }
            if (replacement == null) {
                replacement = matcher.group(2) != null ? matcher.group(2) : matcher.group(0);
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
