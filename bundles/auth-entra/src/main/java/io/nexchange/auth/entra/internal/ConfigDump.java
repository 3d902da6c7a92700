package io.nexchange.auth.entra.internal;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** A configuration as operators may see it: secrets masked, file and variable names shown. */
final class ConfigDump {
    static final String MASK = "********";

    private ConfigDump() {
    }

    static boolean isSecretKey(String key) {
        if (key.startsWith(".")) {
            return true;
        }
        String k = key.toLowerCase(Locale.ROOT);
        boolean secretish = k.contains("secret") || k.contains("password") || k.contains("token") || k.contains("credential");
        boolean reference = k.endsWith("file") || k.endsWith("env") || k.endsWith("expires") || k.endsWith("type");
        return secretish && !reference;
    }

    static String redacted(Map<String, ?> properties) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, ?> e : new TreeMap<>(properties).entrySet()) {
            Object value = e.getValue();
            String text = value instanceof String[] array ? String.join(",", array) : String.valueOf(value);
            out.append("    ").append(e.getKey()).append(" = ").append(isSecretKey(e.getKey()) ? MASK : text).append('\n');
        }
        return out.toString();
    }
}
