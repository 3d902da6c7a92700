package io.nexchange.sandbox.internal.graph;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nexchange.sandbox.DeadTokenMode;
import io.nexchange.sandbox.FaultRule;
import io.nexchange.sandbox.internal.Json;
import io.nexchange.sandbox.internal.fault.FaultInjector;
import io.nexchange.sandbox.internal.http.GraphException;
import io.nexchange.sandbox.internal.http.Resp;
import io.nexchange.sandbox.internal.store.Contact;
import io.nexchange.sandbox.internal.store.ContactFolder;
import io.nexchange.sandbox.internal.store.Event;
import io.nexchange.sandbox.internal.store.GraphTime;
import io.nexchange.sandbox.internal.store.Mailbox;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Delta queries (calendarView/delta, contacts/delta): first round from an empty baseline, later
 * rounds from the baseline behind a $deltatoken; answers paged by $skiptoken; links absolute to the
 * sandbox; forgotten tokens answered per the dead-token mode.
 */
final class DeltaResource {
    private static final int DEFAULT_PAGE_SIZE = 100;
    private static final int MAX_PAGE_SIZE = 1000;

    private final DeltaTracker tracker;
    private final FaultInjector faults;
    private final Supplier<DeadTokenMode> deadTokenMode;

    DeltaResource(DeltaTracker tracker, FaultInjector faults, Supplier<DeadTokenMode> deadTokenMode) {
        this.tracker = tracker;
        this.faults = faults;
        this.deadTokenMode = deadTokenMode;
    }

    /** The current items of a scope of a mailbox: id → item (an Event view or a Contact copy), in answer order. */
    interface Source {
        LinkedHashMap<String, Object> current(Mailbox mailbox, Instant from, Instant to);
    }

    Resp delta(Ctx ctx, DeltaTracker.Kind kind, String scopeId, Source source) {
        var req = ctx.req();
        String skipToken = req.query("$skiptoken");
        String deltaToken = req.query("$deltatoken");
        String path = deltaPath(req.rawPath);
        if (skipToken != null || deltaToken != null) {
            FaultRule dead = faults.fire(req.rawPath, m -> GraphApi.matches(ctx.user(), m), FaultRule.Kind.DEAD_DELTA_TOKEN);
            if (dead != null) {
                throw dead(ctx, path, skipToken != null ? skipToken : deltaToken, kind);
            }
        }
        Integer asked = ctx.prefer().maxPageSize();
        int pageSize = asked == null ? DEFAULT_PAGE_SIZE : Math.max(1, Math.min(MAX_PAGE_SIZE, asked));
        DeltaTracker.Round round;
        String roundId = null;
        int offset;
        if (skipToken != null) {
            int dot = skipToken.lastIndexOf('.');
            roundId = dot < 0 ? skipToken : skipToken.substring(0, dot);
            round = tracker.round(roundId);
            if (round == null || !round.userId().equals(ctx.user().id) || round.kind() != kind) {
                throw dead(ctx, path, skipToken, kind);
            }
            try {
                offset = Integer.parseInt(skipToken.substring(dot + 1));
            } catch (RuntimeException e) {
                throw dead(ctx, path, skipToken, kind);
            }
        } else {
            DeltaTracker.Baseline baseline = null;
            Instant from = null;
            Instant to = null;
            Set<String> select;
            if (deltaToken != null) {
                baseline = tracker.baseline(deltaToken);
                if (baseline == null || !baseline.userId().equals(ctx.user().id) || baseline.kind() != kind
                        || !baseline.scopeId().equals(scopeId)) {
                    throw dead(ctx, path, deltaToken, kind);
                }
                from = baseline.from();
                to = baseline.to();
                select = baseline.select();
            } else {
                select = Render.select(req);
                if (kind == DeltaTracker.Kind.EVENTS) {
                    String s = req.query("startDateTime");
                    String e = req.query("endDateTime");
                    if (s == null || e == null) {
                        throw GraphException.badRequest("ErrorInvalidParameter", "This request requires a time window specified by "
                                + "the query string parameters StartDateTime and EndDateTime.");
                    }
                    from = GraphTime.parseInstant(s);
                    to = GraphTime.parseInstant(e);
                    select = null;
                }
            }
            Mailbox mailbox = ctx.mailbox();
            long version;
            LinkedHashMap<String, Object> current;
            synchronized (mailbox) {
                version = mailbox.version();
                if (baseline != null && baseline.version() == version) {
                    // nothing changed since the client's baseline: an empty answer, and the same token again
                    return page(ctx, kind, path, List.of(), 0, pageSize, null, select, deltaToken);
                }
                current = source.current(mailbox, from, to);
            }
            Map<String, String> previous = baseline == null ? Map.of()
                    : baseline.snapshot() != null ? baseline.snapshot()
                    : snapshot(source.current(ctx.user().mailboxSlot.pristineCopy(), from, to));
            List<DeltaTracker.Entry> entries = new ArrayList<>();
            Map<String, String> next = new LinkedHashMap<>();
            for (Map.Entry<String, Object> c : current.entrySet()) {
                String changeKey = changeKey(c.getValue());
                next.put(c.getKey(), changeKey);
                if (!changeKey.equals(previous.get(c.getKey()))) {
                    entries.add(new DeltaTracker.Entry(c.getKey(), c.getValue()));
                }
            }
            for (String id : previous.keySet()) {
                if (!current.containsKey(id)) {
                    entries.add(new DeltaTracker.Entry(id, null));
                }
            }
            // the generated mailbox's snapshot can be made again at any time: its token carries no snapshot
            boolean pristine = version == ctx.user().mailboxSlot.pristineVersion();
            round = new DeltaTracker.Round(kind, ctx.user().id, scopeId, from, to, select, entries, version, pristine ? null : next);
            offset = 0;
            if (entries.size() > pageSize) {
                roundId = tracker.saveRound(round);
            }
        }
        String deltaLinkToken = null;
        if (offset + pageSize >= round.entries().size()) {
            deltaLinkToken = tracker.saveBaseline(new DeltaTracker.Baseline(kind, ctx.user().id, round.scopeId(), round.from(),
                    round.to(), round.select(), round.version(), round.nextSnapshot()));
            if (roundId != null) {
                tracker.finish(roundId);
            }
        }
        return page(ctx, kind, path, round.entries(), offset, pageSize, roundId, round.select(), deltaLinkToken);
    }

    /** One page of a delta answer: entries [offset, offset + pageSize), then a nextLink into the round or the deltaLink. */
    private static Resp page(Ctx ctx, DeltaTracker.Kind kind, String path, List<DeltaTracker.Entry> entries, int offset, int pageSize,
            String roundId, Set<String> select, String deltaLinkToken) {
        var req = ctx.req();
        String zone = ctx.prefer().timeZone();
        ArrayNode value = Json.MAPPER.createArrayNode();
        int end = Math.min(entries.size(), offset + pageSize);
        String type = switch (kind) {
            case EVENTS -> "event";
            case CONTACTS -> "contact";
            case CONTACT_FOLDERS -> "contactFolder";
        };
        for (int i = offset; i < end; i++) {
            DeltaTracker.Entry e = entries.get(i);
            if (e.item() == null) {
                value.add(Render.removed(type, e.id()));
            } else if (e.item() instanceof Event ev) {
                value.add(Render.event(ev, zone));
            } else if (e.item() instanceof ContactFolder f) {
                value.add(Render.contactFolder(f));
            } else {
                value.add(Render.applySelect(Render.contact((Contact) e.item()), select));
            }
        }
        ObjectNode body = Json.object();
        body.put("@odata.context", Render.context(req, "Collection(" + type + ")"));
        String base = req.baseUrl + path;
        if (end < entries.size()) {
            body.put("@odata.nextLink", base + "?$skiptoken=" + roundId + "." + end);
        } else {
            body.put("@odata.deltaLink", base + "?$deltatoken=" + deltaLinkToken);
        }
        body.set("value", value);
        Resp resp = Resp.json(200, body);
        Integer asked = ctx.prefer().maxPageSize();
        List<String> applied = new ArrayList<>();
        if (asked != null) {
            applied.add("odata.maxpagesize=" + pageSize);
        }
        if (zone != null) {
            applied.add("outlook.timezone=\"" + zone + "\"");
        }
        if (!applied.isEmpty()) {
            resp.header("Preference-Applied", String.join(", ", applied));
        }
        return resp;
    }

    private static Map<String, String> snapshot(LinkedHashMap<String, Object> items) {
        Map<String, String> out = new LinkedHashMap<>();
        items.forEach((id, item) -> out.put(id, changeKey(item)));
        return out;
    }

    private static String changeKey(Object item) {
        if (item instanceof Event e) {
            return e.changeKey;
        }
        if (item instanceof ContactFolder f) {
            // folders carry no change key in Graph; their name and place are what can change
            return f.parentFolderId + "/" + f.displayName;
        }
        return ((Contact) item).changeKey;
    }

    /** The path with its last segment spelled "delta" (links Graph returns use that form). */
    private static String deltaPath(String rawPath) {
        int slash = rawPath.lastIndexOf('/');
        return rawPath.substring(0, slash + 1) + "delta";
    }

    private GraphException dead(Ctx ctx, String path, String token, DeltaTracker.Kind kind) {
        DeadTokenMode mode = deadTokenMode.get();
        String message = "The sync state generation is not found. The delta token is expired and data must be synchronized again.";
        if (mode == DeadTokenMode.GONE_410) {
            String location = ctx.req().baseUrl + path;
            DeltaTracker.Window w = tracker.expiredWindow(token);
            if (kind == DeltaTracker.Kind.EVENTS && w != null) {
                location += "?startDateTime=" + GraphTime.offsetSeconds(w.from()) + "&endDateTime=" + GraphTime.offsetSeconds(w.to());
            }
            return new GraphException(410, "SyncStateNotFound", message).header("Location", location);
        }
        return new GraphException(mode == DeadTokenMode.NOT_FOUND_404 ? 404 : 400, "syncStateNotFound", message);
    }
}
