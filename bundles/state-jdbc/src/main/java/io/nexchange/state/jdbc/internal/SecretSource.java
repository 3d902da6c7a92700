package io.nexchange.state.jdbc.internal;

import io.nexchange.api.auth.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** A secret configured inline, in a file, or in an environment variable: at most one of the three. */
final class SecretSource {
    private SecretSource() {}

    /**
     * @param setting the configuration name, for messages ({@code password}: the properties are '.password',
     *     'password.file' and 'password.env')
     * @param environment how to read an environment variable (System::getenv outside tests)
     */
    static Secret resolve(String setting, String inline, String file, String variable, UnaryOperator<String> environment) {
        List<String> given = new ArrayList<>();
        if (!inline.isEmpty()) {
            given.add("'." + setting + "'");
        }
        if (!file.isBlank()) {
            given.add("'" + setting + ".file'");
        }
        if (!variable.isBlank()) {
            given.add("'" + setting + ".env'");
        }
        if (given.size() > 1) {
            throw new IllegalArgumentException("io.nexchange.state.jdbc: set only one of " + String.join(", ", given));
        }
        if (!file.isBlank()) {
            Path path = Path.of(file.strip());
            try {
                String text = Files.readString(path, StandardCharsets.UTF_8);
                // one trailing line end is the file's, not the secret's
                return Secret.of(text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                        : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text);
            } catch (IOException e) {
                throw new IllegalArgumentException("io.nexchange.state.jdbc '" + setting + ".file': cannot read " + path + " ("
                        + e.getClass().getSimpleName() + ")");
            }
        }
        if (!variable.isBlank()) {
            String value = environment.apply(variable.strip());
            if (value == null) {
                throw new IllegalArgumentException("io.nexchange.state.jdbc '" + setting + ".env': environment variable "
                        + variable.strip() + " is not set");
            }
            return Secret.of(value);
        }
        return Secret.of(inline);
    }
}
