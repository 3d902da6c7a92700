package io.nexchange.features;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A named capability: the bundles that make it and the default configuration it brings.
 *
 * @param name unique name, e.g. {@code graph}
 * @param description one line for operators
 * @param requires names of features that must be installed with it
 * @param bundles Maven coordinates ({@code group/artifact/version}) of its bundles, in start order
 * @param configs default configuration by file name in etc/ ({@code pid.cfg} or {@code factoryPid-name.cfg}),
 *     written only when the operator has no such file
 */
public record Feature(String name, String description, List<String> requires, List<String> bundles,
        Map<String, String> configs) {
    public Feature {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        requires = List.copyOf(requires);
        bundles = List.copyOf(bundles);
        configs = Map.copyOf(configs);
    }
}
