package io.nexchange.engine.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * An engine configuration as Declarative Services hands it over (an implementation of the annotation type): the given
 * properties under their configuration names ({@code conflictPolicy.contacts} for {@code conflictPolicy_contacts()}),
 * every other attribute at its default.
 */
final class EngineConfigurations {
    private EngineConfigurations() {
    }

    static SyncEngineConfiguration with(Map<String, Object> properties) {
        return (SyncEngineConfiguration) Proxy.newProxyInstance(SyncEngineConfiguration.class.getClassLoader(),
                new Class<?>[] {SyncEngineConfiguration.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return SyncEngineConfiguration.class;
                    }
                    Object value = properties.get(method.getName().replace('_', '.'));
                    return value != null ? value : method.getDefaultValue();
                });
    }
}
