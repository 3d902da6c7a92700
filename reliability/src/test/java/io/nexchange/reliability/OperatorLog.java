package io.nexchange.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the product logged, as the operator reads it: the test JVM's slf4j-simple log file
 * ({@code org.slf4j.simpleLogger.logFile}, set by this module's surefire configuration), from a mark on.
 */
final class OperatorLog {
    private final Path file = Path.of(System.getProperty("org.slf4j.simpleLogger.logFile", "target/reliability-log.txt"));

    /** The current end of the log. */
    long mark() throws IOException {
        return Files.exists(file) ? Files.size(file) : 0;
    }

    /** The lines written since the mark. */
    List<String> since(long mark) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        byte[] all = Files.readAllBytes(file);
        return new String(all, (int) Math.min(mark, all.length), (int) Math.max(0, all.length - mark), StandardCharsets.UTF_8)
                .lines().toList();
    }

    /** The WARN and ERROR lines among them: what an operator is asked to look at. */
    static List<String> alerts(List<String> lines) {
        return lines.stream().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).toList();
    }

    /** Stack trace frames among them: none may reach the operator for a fault the product expects. */
    static List<String> stackFrames(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("\tat ") || l.startsWith("Caused by: ")).toList();
    }
}
