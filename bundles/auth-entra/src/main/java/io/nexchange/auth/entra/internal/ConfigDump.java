package io.nexchange.auth.entra.internal;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
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

    /**
     * The attributes of typed configurations (component property types) under their configuration keys
     * ({@code _clientSecret} is {@code .clientSecret}, {@code service_pid} is {@code service.pid}); unset ones left out.
     */
    static String redacted(Annotation... configurations) {
        Map<String, Object> properties = new TreeMap<>();
        for (Annotation configuration : configurations) {
            for (Method attribute : configuration.annotationType().getDeclaredMethods()) {
                Object value;
                try {
                    value = attribute.invoke(configuration);
                } catch (ReflectiveOperationException | RuntimeException unreadable) {
                    value = "(not readable: " + unreadable.getClass().getSimpleName() + ")";
                }
                boolean unset = value == null || "".equals(value) || value instanceof String[] array && array.length == 0;
                if (!unset) {
                    properties.put(key(attribute.getName()), value);
                }
            }
        }
        return redacted(properties);
    }

    /** The configuration key of a component property type's method (the DS name mapping this package uses). */
    static String key(String method) {
        return method.replace("__", "\0").replace('_', '.').replace("\0", "_");
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
