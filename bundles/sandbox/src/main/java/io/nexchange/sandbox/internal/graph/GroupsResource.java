package io.nexchange.sandbox.internal.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nexchange.sandbox.internal.Json;
import io.nexchange.sandbox.internal.entra.Principal;
import io.nexchange.sandbox.internal.http.GraphException;
import io.nexchange.sandbox.internal.http.Req;
import io.nexchange.sandbox.internal.http.Resp;
import io.nexchange.sandbox.internal.store.Group;
import io.nexchange.sandbox.internal.store.Tenant;
import io.nexchange.sandbox.internal.store.User;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GET /groups ($filter with {@code eq} clauses, $select, $top, $skiptoken), GET /groups/{id}, and
 * GET /groups/{id}/members|transitiveMembers, optionally cast to one member type
 * ({@code /microsoft.graph.user}, {@code /microsoft.graph.group}, ...), paged like /users.
 */
final class GroupsResource {
    private static final int DEFAULT_PAGE = 100;
    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** prop eq 'value' (quotes doubled inside, as OData escapes them) or true/false. */
    private static final Pattern CLAUSE = Pattern.compile("\\s*(\\w+)\\s+eq\\s+('((?:[^']|'')*)'|true|false)\\s*", Pattern.CASE_INSENSITIVE);
    private static final Set<String> FILTERABLE = Set.of("id", "displayname", "mail", "mailnickname", "mailenabled", "securityenabled");
    /** Member types a group can hold; a cast to another type is an unsupported query. */
    private static final Set<String> MEMBER_TYPES = Set.of("user", "group", "device", "orgcontact", "serviceprincipal");
    /** Roles that read every user's properties; without one, user members come back as id and type only. */
    private static final String[] USER_READERS = {"User.Read.All", "User.ReadWrite.All", "User.ReadBasic.All", "Directory.Read.All",
        "Directory.ReadWrite.All"};

    private final Tenant tenant;

    GroupsResource(Tenant tenant) {
        this.tenant = tenant;
    }

    /** Below /groups: the segments after "groups". */
    Resp handle(Req req, Principal p, List<String> rest) {
        if (!"GET".equals(req.method)) {
            throw new GraphException(405, "Request_BadRequest", "The request method is not supported for this resource.");
        }
        if (rest.isEmpty()) {
            return list(req);
        }
        Group group = find(rest.get(0));
        if (rest.size() == 1) {
            Set<String> select = Render.select(req);
            ObjectNode body = Json.object();
            body.put("@odata.context", Render.context(req, select == null ? "groups/$entity" : "groups(" + String.join(",", select) + ")/$entity"));
            body.setAll(render(group, select));
            return Resp.json(200, body);
        }
        String relation = rest.get(1).toLowerCase(Locale.ROOT);
        if (!relation.equals("members") && !relation.equals("transitivemembers") || rest.size() > 3) {
            throw GraphException.badRequest("BadRequest", "Resource not found for the segment '" + rest.get(rest.size() > 3 ? 3 : 1) + "'.");
        }
        String cast = null;
        if (rest.size() == 3) {
            String segment = rest.get(2);
            String lower = segment.toLowerCase(Locale.ROOT);
            // the namespace or its alias "graph" (the Graph SDKs' request builders send ".../graph.user")
            String prefix = lower.startsWith("microsoft.graph.") ? "microsoft.graph." : lower.startsWith("graph.") ? "graph." : null;
            if (prefix == null) {
                throw GraphException.badRequest("BadRequest", "Resource not found for the segment '" + segment + "'.");
            }
            cast = lower.substring(prefix.length());
            if (!MEMBER_TYPES.contains(cast)) {
                throw GraphException.badRequest("Request_UnsupportedQuery", "The type '" + segment + "' is not a supported member type"
                        + " of this relationship.");
            }
        }
        Tenant.Members members = relation.equals("members") ? tenant.directMembers(group) : tenant.transitiveMembers(group);
        return members(req, p, members, cast);
    }

    private Resp list(Req req) {
        Set<String> select = Render.select(req);
        List<Group> all = filter(tenant.groups(), req.query("$filter"));
        return page(req, all.size(), select == null ? "groups" : "groups(" + String.join(",", select) + ")",
                (from, to, value) -> all.subList(from, to).forEach(g -> value.add(render(g, select))));
    }

    private Resp members(Req req, Principal p, Tenant.Members members, String cast) {
        Set<String> select = Render.select(req);
        boolean limitedUsers = !p.hasAnyRole(USER_READERS);
        List<Object> objects = new ArrayList<>();
        if (cast == null || cast.equals("user")) {
            objects.addAll(members.users());
        }
        if (cast == null || cast.equals("group")) {
            objects.addAll(members.groups());
        }
        String entitySet = cast == null ? "directoryObjects" : cast.equals("user") ? "users" : cast.equals("group") ? "groups" : cast + "s";
        return page(req, objects.size(), select == null ? entitySet : entitySet + "(" + String.join(",", select) + ")", (from, to, value) -> {
            for (Object o : objects.subList(from, to)) {
                ObjectNode n = Json.object();
                // a collection of directoryObjects names each item's type; a cast collection has one type
                if (cast == null || limitedUsers && o instanceof User) {
                    n.put("@odata.type", o instanceof User ? "#microsoft.graph.user" : "#microsoft.graph.group");
                }
                n.setAll(o instanceof User u ? (limitedUsers ? limited(u, select) : Render.user(u, select)) : render((Group) o, select));
                value.add(n);
            }
        });
    }

    /** "Limited information returned for inaccessible member objects": the id, every other property null. */
    private static ObjectNode limited(User u, Set<String> select) {
        ObjectNode n = Render.user(u, select);
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        for (String f : names) {
            if (!f.equals("id")) {
                n.putNull(f);
            }
        }
        n.put("id", u.id);
        return n;
    }

    @FunctionalInterface
    private interface PageWriter {
        void write(int from, int to, ArrayNode value);
    }

    private static Resp page(Req req, int total, String context, PageWriter writer) {
        int top = DEFAULT_PAGE;
        String topText = req.query("$top");
        if (topText != null) {
            try {
                top = Integer.parseInt(topText.trim());
            } catch (NumberFormatException e) {
                top = -1;
            }
            if (top < 1 || top > 999) {
                throw GraphException.badRequest("Request_BadRequest",
                        "Invalid page size specified: '" + topText + "'. Must be between 1 and 999 inclusive.");
            }
        }
        boolean count = "true".equalsIgnoreCase(req.query("$count"));
        if (count && !"eventual".equalsIgnoreCase(req.header("ConsistencyLevel"))) {
            // $count on directory objects is an advanced query: it needs ConsistencyLevel: eventual
            throw GraphException.badRequest("Request_BadRequest", "$count is not currently supported.");
        }
        String skip = req.query("$skiptoken");
        int offset = skip == null ? 0 : decodeSkip(skip);
        ObjectNode body = Json.object();
        body.put("@odata.context", Render.context(req, context));
        if (count) {
            body.put("@odata.count", total);
        }
        int end = Math.min(total, offset + top);
        ArrayNode value = Json.MAPPER.createArrayNode();
        if (offset < end) {
            writer.write(offset, end, value);
        }
        if (end < total) {
            Map<String, String> params = new LinkedHashMap<>();
            req.queryMap().forEach((k, v) -> {
                if (!k.equalsIgnoreCase("$skiptoken")) {
                    params.put(k, v);
                }
            });
            params.put("$skiptoken", encodeSkip(end));
            body.put("@odata.nextLink", Render.link(req, params));
        }
        body.set("value", value);
        return Resp.json(200, body);
    }

    private Group find(String id) {
        if (!GUID.matcher(id).matches()) {
            throw GraphException.badRequest("Request_BadRequest", "Invalid object identifier '" + id + "'.");
        }
        return tenant.group(id).orElseThrow(() -> new GraphException(404, "Request_ResourceNotFound",
                "Resource '" + id + "' does not exist or one of its queried reference-property objects are not present."));
    }

    static ObjectNode render(Group g, Set<String> select) {
        ObjectNode all = Json.object();
        all.put("id", g.id);
        all.putNull("deletedDateTime");
        all.putNull("classification");
        all.put("createdDateTime", g.createdDateTime);
        all.put("description", g.description);
        all.put("displayName", g.displayName);
        ArrayNode types = all.putArray("groupTypes");
        if (g.unified) {
            types.add("Unified");
        }
        all.put("mail", g.mail);
        all.put("mailEnabled", g.mailEnabled());
        all.put("mailNickname", g.mailNickname);
        ArrayNode proxies = all.putArray("proxyAddresses");
        if (g.mail != null) {
            proxies.add("SMTP:" + g.mail);
        }
        all.put("securityEnabled", g.securityEnabled);
        if (g.unified) {
            all.put("visibility", "Private");
        } else {
            all.putNull("visibility");
        }
        if (select == null) {
            return all;
        }
        ObjectNode out = Json.object();
        for (String f : select) {
            String name = f;
            var it = all.fieldNames();
            while (it.hasNext()) {
                String candidate = it.next();
                if (candidate.equalsIgnoreCase(f)) {
                    name = candidate;
                }
            }
            JsonNode v = all.get(name);
            out.set(name, v == null ? Json.MAPPER.nullNode() : v);
        }
        return out;
    }

    static List<Group> filter(List<Group> groups, String filter) {
        if (filter == null || filter.isBlank()) {
            return groups;
        }
        List<Group> out = new ArrayList<>(groups);
        for (String clause : filter.split("(?i)\\s+and\\s+")) {
            Matcher m = CLAUSE.matcher(clause);
            if (!m.matches() || !FILTERABLE.contains(m.group(1).toLowerCase(Locale.ROOT))) {
                throw GraphException.badRequest("Request_UnsupportedQuery", "Unsupported or invalid query filter clause specified"
                        + " for property '" + clause.trim() + "' of resource 'Group'.");
            }
            String property = m.group(1);
            String value = m.group(3) != null ? m.group(3).replace("''", "'") : m.group(2);
            out.removeIf(g -> {
                JsonNode v = render(g, Set.of(property)).elements().next();
                if (v == null || v.isNull()) {
                    return true;
                }
                // directory string comparisons ignore case
                return !(v.isBoolean() ? Boolean.toString(v.asBoolean()) : v.asText()).equalsIgnoreCase(value);
            });
        }
        return out;
    }

    private static String encodeSkip(int offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("DSpt\u0002groups:" + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static int decodeSkip(String token) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            return Integer.parseInt(s.substring(s.indexOf(':') + 1));
        } catch (IllegalArgumentException e) {
            throw GraphException.badRequest("Request_BadRequest", "Invalid $skiptoken value.");
        }
    }
}
