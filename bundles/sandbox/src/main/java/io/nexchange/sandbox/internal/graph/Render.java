package io.nexchange.sandbox.internal.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nexchange.sandbox.internal.Json;
import io.nexchange.sandbox.internal.http.GraphException;
import io.nexchange.sandbox.internal.http.Req;
import io.nexchange.sandbox.internal.store.CalendarFolder;
import io.nexchange.sandbox.internal.store.Contact;
import io.nexchange.sandbox.internal.store.ContactFolder;
import io.nexchange.sandbox.internal.store.Event;
import io.nexchange.sandbox.internal.store.GraphTime;
import io.nexchange.sandbox.internal.store.TimeZones;
import io.nexchange.sandbox.internal.store.User;
import io.nexchange.sandbox.internal.store.Values.DateTimeTimeZone;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Graph's JSON shapes for the sandbox's model objects, and OData helpers ($select, links). */
final class Render {
    private Render() {
    }

    static String etag(String changeKey) {
        return "W/\"" + changeKey + "\"";
    }

    /** An event in the requested zone (Prefer: outlook.timezone), UTC without one. */
    static ObjectNode event(Event e, String preferredZone) {
        ObjectNode n = Json.object();
        n.put("@odata.etag", etag(e.changeKey));
        n.setAll((ObjectNode) Json.MAPPER.valueToTree(e));
        String zoneName = preferredZone != null && TimeZones.isKnown(preferredZone) ? preferredZone : "UTC";
        ZoneId target = TimeZones.zoneOrUtc(zoneName);
        n.set("start", Json.MAPPER.valueToTree(convert(e.start, Boolean.TRUE.equals(e.isAllDay), target, zoneName)));
        n.set("end", Json.MAPPER.valueToTree(convert(e.end, Boolean.TRUE.equals(e.isAllDay), target, zoneName)));
        if (e.graphOverride != null) {
            n.setAll(e.graphOverride.deepCopy());
        }
        return n;
    }

    private static DateTimeTimeZone convert(DateTimeTimeZone t, boolean allDay, ZoneId target, String targetName) {
        if (t == null) {
            return null;
        }
        LocalDateTime local = GraphTime.parseLocal(t.dateTime);
        if (allDay) {
            // all-day events are floating: midnight stays midnight whatever zone is asked for
            return new DateTimeTimeZone(GraphTime.local(local), targetName);
        }
        LocalDateTime converted = local.atZone(TimeZones.zoneOrUtc(t.timeZone)).withZoneSameInstant(target).toLocalDateTime();
        return new DateTimeTimeZone(GraphTime.local(converted), targetName);
    }

    static ObjectNode contact(Contact c) {
        ObjectNode n = Json.object();
        n.put("@odata.etag", etag(c.changeKey));
        n.setAll((ObjectNode) Json.MAPPER.valueToTree(c));
        return n;
    }

    static ObjectNode removed(String type, String id) {
        ObjectNode n = Json.object();
        n.put("@odata.type", "#microsoft.graph." + type);
        n.put("id", id);
        n.putObject("@removed").put("reason", "deleted");
        return n;
    }

    static ObjectNode calendar(CalendarFolder c, User owner) {
        ObjectNode n = Json.object();
        n.put("id", c.id);
        n.put("name", c.name);
        n.put("color", c.color);
        n.put("hexColor", c.hexColor);
        n.put("isDefaultCalendar", c.isDefault);
        n.put("changeKey", c.changeKey);
        n.put("canShare", true);
        n.put("canViewPrivateItems", true);
        n.put("canEdit", true);
        n.putArray("allowedOnlineMeetingProviders").add("teamsForBusiness");
        n.put("defaultOnlineMeetingProvider", "teamsForBusiness");
        n.put("isTallyingResponses", true);
        n.put("isRemovable", !c.isDefault);
        ObjectNode o = n.putObject("owner");
        o.put("name", owner.displayName);
        o.put("address", owner.mail);
        return n;
    }

    static ObjectNode contactFolder(ContactFolder f) {
        ObjectNode n = Json.object();
        n.put("id", f.id);
        n.put("displayName", f.displayName);
        n.put("parentFolderId", f.parentFolderId);
        return n;
    }

    static final List<String> USER_DEFAULT = List.of("businessPhones", "displayName", "givenName", "jobTitle", "mail",
            "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id");

    static ObjectNode user(User u, Set<String> select) {
        ObjectNode all = Json.object();
        ArrayNode phones = all.putArray("businessPhones");
        u.businessPhones.forEach(phones::add);
        all.put("displayName", u.displayName);
        all.put("givenName", u.givenName);
        all.put("jobTitle", u.jobTitle);
        all.put("mail", u.mail);
        all.put("mobilePhone", u.mobilePhone);
        all.put("officeLocation", u.officeLocation);
        all.put("preferredLanguage", u.preferredLanguage);
        all.put("surname", u.surname);
        all.put("userPrincipalName", u.userPrincipalName);
        all.put("id", u.id);
        all.put("accountEnabled", u.accountEnabled);
        all.put("userType", "Member");
        all.putArray("proxyAddresses").add("SMTP:" + (u.mail == null ? u.userPrincipalName : u.mail));
        ObjectNode out = Json.object();
        if (select == null) {
            USER_DEFAULT.forEach(f -> out.set(f, all.get(f)));
        } else {
            for (String f : select) {
                JsonNode v = all.get(f);
                out.set(f, v == null ? Json.MAPPER.nullNode() : v);
            }
        }
        return out;
    }

    /** $select: property names; null when absent. */
    static Set<String> select(Req req) {
        String s = req.query("$select");
        if (s == null || s.isBlank()) {
            return null;
        }
        Set<String> out = new LinkedHashSet<>();
        for (String p : s.split(",")) {
            if (!p.isBlank()) {
                out.add(p.trim());
            }
        }
        return out;
    }

    /** Keeps only the selected properties (and the etag/id/annotations Graph always sends). */
    static ObjectNode applySelect(ObjectNode n, Set<String> select) {
        if (select == null) {
            return n;
        }
        Set<String> lower = new LinkedHashSet<>();
        select.forEach(s -> lower.add(s.toLowerCase(Locale.ROOT)));
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
            String name = it.next().getKey();
            if (!name.startsWith("@") && !name.equals("id") && !lower.contains(name.toLowerCase(Locale.ROOT))) {
                it.remove();
            }
        }
        return n;
    }

    /** The absolute URL of this request's path with new query parameters (OData links). */
    static String link(Req req, Map<String, String> params) {
        StringBuilder sb = new StringBuilder(req.baseUrl).append(req.rawPath);
        char sep = '?';
        for (Map.Entry<String, String> p : params.entrySet()) {
            sb.append(sep).append(p.getKey()).append('=').append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8).replace("+", "%20"));
            sep = '&';
        }
        return sb.toString();
    }

    static String context(Req req, String fragment) {
        return req.baseUrl + "/v1.0/$metadata#" + fragment;
    }

    static int intParam(Req req, String name, int def) {
        String v = req.query(name);
        if (v == null) {
            return def;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw GraphException.badRequest("BadRequest", "Invalid value '" + v + "' for query option " + name + ".");
        }
    }
}
