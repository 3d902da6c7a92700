package io.nexchange.it;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves that semantic versioning of the SPI is enforced by the build: a copy of the API module with a
 * method signature changed, but no package version bump, fails {@code mvn verify} with a baseline report
 * naming the package and the change.
 */
class ApiBaselineIT {
    @TempDir
    Path copy;

    @Test
    void incompatibleApiChangeWithoutVersionBumpFailsTheBuild() throws Exception {
        Path root = Path.of(System.getProperty("nexchange.dist")).resolve("../../..").normalize();
        copyTree(root.resolve("bundles/api"), copy.resolve("bundles/api"));
        copyTree(root.resolve("api-releases"), copy.resolve("api-releases"));
        Files.copy(root.resolve("pom.xml"), copy.resolve("pom.xml"));
        Files.copy(root.resolve("bundles/pom.xml"), copy.resolve("bundles/pom.xml"));
        Path target = copy.resolve("bundles/api/src/main/java/io/nexchange/api/source/ItemTarget.java");
        String source = Files.readString(target);
        String changed = source.replace("Optional<ItemVersion> version(String ref)", "Optional<ItemVersion> version(String ref, boolean fresh)");
        assertNotEquals(source, changed, "the test's edit no longer applies to ItemTarget.java");
        Files.writeString(target, changed);

        // online: the baseline version is a range, resolved through the metadata of the copy's api-releases/; offline,
        // the shared local repository's copy of that metadata may predate the newest published version (another
        // checkout's build wrote it), and the check would be skipped instead of tripping
        List<String> command = new ArrayList<>(List.of("mvn", "-B", "-q", "-f", copy.resolve("bundles/api/pom.xml").toString(),
                "verify", "-DskipTests"));
        String localRepository = System.getProperty("maven.repo.local");
        if (localRepository != null) {
            command.add("-Dmaven.repo.local=" + localRepository);
        }
        Process mvn = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(mvn.getInputStream().readAllBytes());
        assertTrue(mvn.waitFor(5, TimeUnit.MINUTES), "mvn did not finish");
        assertNotEquals(0, mvn.exitValue(), "the build passed despite an incompatible API change:\n" + output);
        assertTrue(output.contains("Baseline problems detected"), output);
        assertTrue(output.contains("io.nexchange.api.source") && output.contains("MAJOR"), output);
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (file.toString().contains("/target/") || file.endsWith("target")) {
                    continue;
                }
                Path destination = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(file, destination, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
