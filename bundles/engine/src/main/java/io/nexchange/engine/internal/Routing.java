package io.nexchange.engine.internal;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which backend serves each mailbox by configuration ({@code io.nexchange.engine}), so moving mailboxes from EWS to
 * Graph is a configuration change. The first rule that names the mailbox wins, most specific first:
 * <ol>
 *   <li>{@code backend.override}: the mailbox itself ({@code alice@example.org:ews});</li>
 *   <li>{@code backend.group}: a group the mailbox is in ({@code legal:ews}; groups are defined in the configuration,
 *       {@code group.legal = carol@example.org, *@legal.example.org}), in the order listed;</li>
 *   <li>{@code backend.wave}: a migration wave the mailbox is in ({@code 1:graph}; {@code wave.1 = *@sales.example.org,
 *       bob@example.org}), in the order listed;</li>
 *   <li>{@code backend.domain}: the mailbox's domain ({@code sales.example.org:graph});</li>
 *   <li>{@code backend.default}.</li>
 * </ol>
 * Switches made with {@code nexchange:switch} ({@link BackendSwitches}) come before all of these, and automatic
 * routing ({@link BackendRouter}) before those, but only for a mailbox its backend refused. The Nextcloud side has one
 * backend.
 *
 * @param groups group name to its members ({@code group.NAME})
 * @param waves wave name to its members ({@code wave.NAME})
 */
public record Routing(String exchangeDefault, Map<String, String> overrides, Map<String, String> groupBackends,
        Map<String, String> waveBackends, Map<String, String> domainBackends, Map<String, MailboxPatterns> groups,
        Map<String, MailboxPatterns> waves, String nextcloudBackend) {

    /** The backend of a mailbox and the rule that chose it ({@code backend.domain sales.example.org}). */
    public record Route(String backend, String because) {}

    public Routing {
        exchangeDefault = exchangeDefault.trim();
        overrides = Map.copyOf(overrides);
        groupBackends = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(groupBackends));
        waveBackends = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(waveBackends));
        domainBackends = Map.copyOf(domainBackends);
        groups = java.util.Collections.unmodifiableMap(new TreeMap<>(groups));
        waves = java.util.Collections.unmodifiableMap(new TreeMap<>(waves));
        nextcloudBackend = nextcloudBackend.trim();
        if (exchangeDefault.isEmpty()) {
            throw new IllegalArgumentException("backend.default must name an Exchange backend (graph or ews)");
        }
        if (nextcloudBackend.isEmpty()) {
            throw new IllegalArgumentException("nextcloudBackend must name a Nextcloud-side backend (caldav or vdir)");
        }
        for (String group : groupBackends.keySet()) {
            if (!groups.containsKey(group)) {
                throw new IllegalArgumentException("backend.group names group '" + group + "', which no group." + group
                        + " setting defines (group.NAME = addresses or patterns such as *@legal.example.org)");
            }
        }
        for (String wave : waveBackends.keySet()) {
            if (!waves.containsKey(wave)) {
                throw new IllegalArgumentException("backend.wave names wave '" + wave + "', which no wave." + wave
                        + " setting defines (wave.NAME = addresses or patterns such as *@sales.example.org)");
            }
        }
    }

    /** Only a default and per-mailbox overrides (tests, and configurations without groups, waves or domains). */
    public static Routing parse(String exchangeDefault, String[] overrides, String nextcloudBackend) {
        return new Routing(exchangeDefault, mailboxBackends(overrides), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(),
                nextcloudBackend);
    }

    /**
     * The whole routing of the engine's configuration; {@code properties} are the configuration's raw properties, for
     * the {@code group.NAME} and {@code wave.NAME} keys. Messages name the bad setting and entry.
     */
    static Routing of(SyncEngineConfiguration c, Map<String, ?> properties) {
        Map<String, MailboxPatterns> groups = new HashMap<>();
        Map<String, MailboxPatterns> waves = new HashMap<>();
        properties.forEach((key, value) -> {
            if (key.startsWith("group.") && key.length() > "group.".length()) {
                groups.put(key.substring("group.".length()), MailboxPatterns.parse(key, value));
            } else if (key.startsWith("wave.") && key.length() > "wave.".length()) {
                waves.put(key.substring("wave.".length()), MailboxPatterns.parse(key, value));
            }
        });
        return new Routing(c.backend_default(), mailboxBackends(c.backend_override()),
                nameBackends("backend.group", "legal:ews", c.backend_group(), false),
                nameBackends("backend.wave", "1:graph", c.backend_wave(), false),
                nameBackends("backend.domain", "sales.example.org:graph", c.backend_domain(), true), groups, waves,
                c.nextcloudBackend());
    }

    private static Map<String, String> mailboxBackends(String[] entries) {
        Map<String, String> map = new HashMap<>();
        for (String[] entry : entries(entries, "backend.override", "alice@example.org:ews")) {
            if (entry[0].indexOf('@') < 0) {
                throw new IllegalArgumentException("backend.override entries are mailbox:backend (alice@example.org:ews), was '"
                        + entry[0] + ":" + entry[1] + "'");
            }
            map.put(entry[0].toLowerCase(Locale.ROOT), entry[1]);
        }
        return map;
    }

    private static Map<String, String> nameBackends(String setting, String example, String[] entries, boolean lowerCase) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String[] entry : entries(entries, setting, example)) {
            map.put(lowerCase ? entry[0].toLowerCase(Locale.ROOT) : entry[0], entry[1]);
        }
        return map;
    }

    /** {@code name:backend} entries, comma-separated within a value; the last colon splits. */
    private static Iterable<String[]> entries(String[] values, String setting, String example) {
        java.util.List<String[]> out = new java.util.ArrayList<>();
        for (String value : values == null ? new String[0] : values) {
            for (String part : value.split(",")) {
                String p = part.trim();
                if (p.isEmpty()) {
                    continue;
                }
                int at = p.lastIndexOf(':');
                if (at <= 0 || at == p.length() - 1) {
                    throw new IllegalArgumentException(setting + " entries are name:backend (" + example + "), was '" + p + "'");
                }
                out.add(new String[] {p.substring(0, at).trim(), p.substring(at + 1).trim()});
            }
        }
        return out;
    }

    /** The configured backend of a mailbox and the rule that chose it. */
    public Route route(String primarySmtp) {
        String smtp = primarySmtp.toLowerCase(Locale.ROOT);
        String backend = overrides.get(smtp);
        if (backend != null) {
            return new Route(backend, "backend.override");
        }
        for (Map.Entry<String, String> g : groupBackends.entrySet()) {
            if (groups.get(g.getKey()).matches(smtp)) {
                return new Route(g.getValue(), "backend.group " + g.getKey());
            }
        }
        for (Map.Entry<String, String> w : waveBackends.entrySet()) {
            if (waves.get(w.getKey()).matches(smtp)) {
                return new Route(w.getValue(), "backend.wave " + w.getKey());
            }
        }
        String domain = smtp.substring(smtp.indexOf('@') + 1);
        backend = domainBackends.get(domain);
        if (backend != null) {
            return new Route(backend, "backend.domain " + domain);
        }
        return new Route(exchangeDefault, "backend.default");
    }

    public String exchangeBackend(String primarySmtp) {
        return route(primarySmtp).backend();
    }

    /** A one-line account of the rules, for the engine's start line. */
    String describe() {
        StringBuilder out = new StringBuilder("Exchange backend ").append(exchangeDefault);
        if (!domainBackends.isEmpty()) {
            out.append(", by domain ").append(domainBackends);
        }
        if (!waveBackends.isEmpty()) {
            out.append(", by wave ").append(waveBackends);
        }
        if (!groupBackends.isEmpty()) {
            out.append(", by group ").append(groupBackends);
        }
        if (!overrides.isEmpty()) {
            out.append(", overrides ").append(new TreeMap<>(overrides));
        }
        return out.toString();
    }
}
