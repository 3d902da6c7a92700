package io.nexchange.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The [Service] section of a systemd unit file, read the way systemd reads the keys the Nexchange unit uses, so
 * that a machine without systemd can run the service's commands as the unit would: as its User and Group, with
 * its Environment and EnvironmentFile and nothing else of the caller's environment.
 */
record SystemdUnit(String user, String group, Map<String, String> environment, List<String> execStart,
        List<String> execStartPost, Path workingDirectory) {

    static SystemdUnit read(Path file) throws IOException {
        String section = "";
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                section = line;
                continue;
            }
            int equals = line.indexOf('=');
            if (section.equals("[Service]") && equals > 0) {
                values.computeIfAbsent(line.substring(0, equals).strip(), k -> new ArrayList<>()).add(line.substring(equals + 1).strip());
            }
        }
        Map<String, String> environment = new LinkedHashMap<>();
        for (String assignments : values.getOrDefault("Environment", List.of())) {
            for (String assignment : words(assignments)) {
                int equals = assignment.indexOf('=');
                environment.put(assignment.substring(0, equals), assignment.substring(equals + 1));
            }
        }
        for (String name : values.getOrDefault("EnvironmentFile", List.of())) {
            boolean optional = name.startsWith("-");
            Path envFile = Path.of(optional ? name.substring(1) : name);
            if (!Files.exists(envFile)) {
                if (optional) {
                    continue;
                }
                throw new IOException("EnvironmentFile " + envFile + " of " + file + " is missing");
            }
            for (String raw : Files.readAllLines(envFile, StandardCharsets.UTF_8)) {
                String line = raw.strip();
                if (!line.isEmpty() && !line.startsWith("#") && line.contains("=")) {
                    int equals = line.indexOf('=');
                    environment.put(line.substring(0, equals).strip(), unquote(line.substring(equals + 1).strip()));
                }
            }
        }
        return new SystemdUnit(single(values, "User", file), single(values, "Group", file), environment,
                words(single(values, "ExecStart", file)), words(values.getOrDefault("ExecStartPost", List.of("")).get(0)),
                Path.of(single(values, "WorkingDirectory", file)));
    }

    /**
     * The command that runs {@code command} as the unit's user and group with the unit's environment: setpriv drops to
     * the user with its supplementary groups and sets no_new_privs, as {@code NoNewPrivileges=yes} does.
     */
    ProcessBuilder processAs(List<String> command) {
        List<String> line = new ArrayList<>(List.of("setpriv", "--reuid=" + user, "--regid=" + group, "--init-groups",
                "--no-new-privs", "--"));
        line.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(line).directory(workingDirectory.toFile());
        Map<String, String> env = builder.environment();
        env.clear();
        // what systemd gives every service of a system manager, then User= adds USER, LOGNAME, HOME, SHELL
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("LANG", "C.UTF-8");
        env.put("USER", user);
        env.put("LOGNAME", user);
        env.put("HOME", workingDirectory.toString());
        env.put("SHELL", "/usr/sbin/nologin");
        env.putAll(environment);
        return builder;
    }

    private static String single(Map<String, List<String>> values, String key, Path file) throws IOException {
        List<String> found = values.get(key);
        if (found == null || found.size() != 1) {
            throw new IOException(file + ": expected one " + key + "= in [Service], found " + found);
        }
        return found.get(0);
    }

    /** Splits on white space, keeping double-quoted parts together (systemd's quoting, without escapes). */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (char c : text.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (any) {
                    words.add(current.toString());
                    current.setLength(0);
                    any = false;
                }
            } else {
                current.append(c);
                any = true;
            }
        }
        if (any) {
            words.add(current.toString());
        }
        return words;
    }

    private static String unquote(String value) {
        return value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))
                ? value.substring(1, value.length() - 1) : value;
    }
}
