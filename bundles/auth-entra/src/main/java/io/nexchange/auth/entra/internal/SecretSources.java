package io.nexchange.auth.entra.internal;

import io.nexchange.api.auth.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where a secret comes from: inline (a dotted key, so it is not a service property), a file, or an
 * environment variable. Error texts name the key, the file or the variable, never the value.
 */
final class SecretSources {
    private SecretSources() {
    }

    /**
     * The secret configured under {@code .name} (or a plain {@code name}, which works but is visible to every bundle),
     * {@code nameFile} or {@code nameEnv}, if any.
     *
     * @throws IllegalArgumentException naming the key when a source is configured but unusable
     */
    static Optional<Secret> resolve(String name, String dotted, String plain, String fileName, String envName,
            UnaryOperator<String> environment) {
        String inline = text(dotted);
        if (inline.isEmpty()) {
            inline = text(plain);
        }
        String file = text(fileName);
        String env = text(envName);
        int sources = (inline.isEmpty() ? 0 : 1) + (file.isEmpty() ? 0 : 1) + (env.isEmpty() ? 0 : 1);
        if (sources > 1) {
            throw new IllegalArgumentException("set only one of ." + name + ", " + name + "File and " + name + "Env");
        }
        if (!inline.isEmpty()) {
            return Optional.of(Secret.of(inline));
        }
        if (!file.isEmpty()) {
            Path path = Path.of(file);
            try {
                String content = Files.readString(path, StandardCharsets.UTF_8);
                String firstLine = content.lines().findFirst().orElse("").trim();
                if (firstLine.isEmpty()) {
                    throw new IllegalArgumentException(name + "File " + path + " is empty");
                }
                return Optional.of(Secret.of(firstLine));
            } catch (IOException e) {
                // the exception text names the file only (NoSuchFileException, AccessDeniedException)
                throw new IllegalArgumentException(name + "File " + path + " cannot be read (" + e.getClass().getSimpleName() + ")");
            }
        }
        if (!env.isEmpty()) {
            String value = environment.apply(env);
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(name + "Env names the environment variable " + env + ", which is not set");
            }
            return Optional.of(Secret.of(value.trim()));
        }
        return Optional.empty();
    }

    /** A configured text, trimmed; "" for none (a required attribute without value reads as null). */
    static String text(String value) {
        return value == null ? "" : value.trim();
    }
}
