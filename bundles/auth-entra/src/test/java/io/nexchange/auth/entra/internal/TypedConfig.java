package io.nexchange.auth.entra.internal;

import java.lang.reflect.Array;
import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.Map;

/**
 * Test side of DS component property types: a configuration map seen through an annotation type, as SCR hands it
 * to a component (key mapping {@code _x} → {@code .x}, {@code a_b} → {@code a.b}; defaults where a key is missing;
 * a single value where an array is declared; text parsed where a number is declared). The bundle ITs check the
 * components with the real SCR.
 */
final class TypedConfig {
    private TypedConfig() {
    }

    /** A snapshot, as SCR's: later changes to {@code configuration} do not show. */
    static <A> A of(Class<A> type, Map<String, ?> configuration) {
        Map<String, Object> properties = new java.util.HashMap<>(configuration);
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
            switch (method.getName()) {
                case "annotationType":
                    return type;
                case "toString":
                    return type.getSimpleName() + properties.keySet();
                case "hashCode":
                    return System.identityHashCode(self);
                case "equals":
                    return self == args[0];
                default:
                    break;
            }
            Object value = properties.get(ConfigDump.key(method.getName()));
            return value == null ? method.getDefaultValue() : coerce(value, method.getReturnType());
        });
        return type.cast(proxy);
    }

    private static Object coerce(Object value, Class<?> target) {
        if (target == String[].class) {
            if (value instanceof String[]) {
                return value;
            }
            if (value instanceof Collection<?> collection) {
                return collection.stream().map(String::valueOf).toArray(String[]::new);
            }
            return new String[] {String.valueOf(value)};
        }
        Object single = value.getClass().isArray() ? (Array.getLength(value) == 0 ? null : Array.get(value, 0)) : value;
        if (target == String.class) {
            return single == null ? null : String.valueOf(single);
        }
        if (target == int.class) {
            return single instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(single).trim());
        }
        if (target == long.class) {
            return single instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(single).trim());
        }
        if (target == boolean.class) {
            return Boolean.parseBoolean(String.valueOf(single).trim());
        }
        throw new IllegalArgumentException("no coercion to " + target);
    }
}
