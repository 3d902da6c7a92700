package io.nexchange.engine.internal;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Which backend serves each mailbox: a default ({@code graph}) and per-mailbox overrides ({@code alice@x.org:ews}),
 * so moving a mailbox from EWS to Graph is a configuration change. The Nextcloud side has one backend.
 */
public record Routing(String exchangeDefault, Map<String, String> overrides, String nextcloudBackend) {
    public Routing {
        exchangeDefault = exchangeDefault.trim();
        overrides = Map.copyOf(overrides);
        nextcloudBackend = nextcloudBackend.trim();
        if (exchangeDefault.isEmpty()) {
            throw new IllegalArgumentException("backend.default must name an Exchange backend (graph or ews)");
        }
        if (nextcloudBackend.isEmpty()) {
            throw new IllegalArgumentException("nextcloudBackend must name a Nextcloud-side backend (caldav or vdir)");
        }
    }

    /** Parses {@code mailbox:backend} entries; the message names the bad entry and the setting. */
    public static Routing parse(String exchangeDefault, String[] overrides, String nextcloudBackend) {
        Map<String, String> map = new HashMap<>();
        for (String entry : overrides == null ? new String[0] : overrides) {
            for (String part : entry.split(",")) {
                String p = part.trim();
                if (p.isEmpty()) {
                    continue;
                }
                int at = p.lastIndexOf(':');
                if (at <= 0 || at == p.length() - 1 || p.indexOf('@') < 0) {
                    throw new IllegalArgumentException("backend.override entries are mailbox:backend (alice@example.org:ews), was '"
                            + p + "'");
                }
                map.put(p.substring(0, at).trim().toLowerCase(Locale.ROOT), p.substring(at + 1).trim());
            }
        }
        return new Routing(exchangeDefault, map, nextcloudBackend);
    }

    public String exchangeBackend(String primarySmtp) {
        return overrides.getOrDefault(primarySmtp.toLowerCase(Locale.ROOT), exchangeDefault);
    }
}
