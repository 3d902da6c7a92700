package io.nexchange.sandbox.internal.graph;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nexchange.sandbox.internal.Json;
import io.nexchange.sandbox.internal.http.GraphException;
import io.nexchange.sandbox.internal.http.Req;
import io.nexchange.sandbox.internal.http.Resp;
import io.nexchange.sandbox.internal.store.Tenant;
import io.nexchange.sandbox.internal.store.User;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** GET /users (paged with $skiptoken, $top 1–999, $select) and GET /users/{id}. */
final class UsersResource {
    private static final int DEFAULT_PAGE = 100;
    private final Tenant tenant;

    UsersResource(Tenant tenant) {
        this.tenant = tenant;
    }

    Resp list(Req req) {
        if (!"GET".equals(req.method)) {
            throw new GraphException(405, "Request_BadRequest", "The request method is not supported for this resource.");
        }
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
        int offset = 0;
        String skip = req.query("$skiptoken");
        if (skip != null) {
            offset = decodeSkip(skip);
        }
        Set<String> select = Render.select(req);
        List<User> all = filter(tenant.users(), req.query("$filter"));
        ObjectNode body = Json.object();
        body.put("@odata.context", Render.context(req, select == null ? "users" : "users(" + String.join(",", select) + ")"));
        ArrayNode value = Json.MAPPER.createArrayNode();
        int end = Math.min(all.size(), offset + top);
        for (int i = offset; i < end; i++) {
            value.add(Render.user(all.get(i), select));
        }
        if (end < all.size()) {
            Map<String, String> params = new LinkedHashMap<>();
            for (Map.Entry<String, String> q : req.queryMap().entrySet()) {
                if (!q.getKey().equalsIgnoreCase("$skiptoken")) {
                    params.put(q.getKey().startsWith("$") ? q.getKey() : q.getKey(), q.getValue());
                }
            }
            params.put("$skiptoken", encodeSkip(end));
            body.put("@odata.nextLink", Render.link(req, params));
        }
        body.set("value", value);
        return Resp.json(200, body);
    }

    Resp get(Req req, User user) {
        if (!"GET".equals(req.method)) {
            throw new GraphException(405, "Request_BadRequest", "The request method is not supported for this resource.");
        }
        Set<String> select = Render.select(req);
        ObjectNode body = Json.object();
        body.put("@odata.context", Render.context(req, select == null ? "users/$entity" : "users(" + String.join(",", select) + ")/$entity"));
        body.setAll(Render.user(user, select));
        return Resp.json(200, body);
    }

    private static final java.util.regex.Pattern CLAUSE = java.util.regex.Pattern.compile(
            "\\s*(\\w+)\\s+eq\\s+('([^']*)'|true|false)\\s*", java.util.regex.Pattern.CASE_INSENSITIVE);

    /** $filter with "property eq value" clauses joined by "and" (what directory lookups use). */
    static List<User> filter(List<User> users, String filter) {
        if (filter == null || filter.isBlank()) {
            return users;
        }
        List<User> out = new java.util.ArrayList<>(users);
        for (String clause : filter.split("(?i)\\s+and\\s+")) {
            java.util.regex.Matcher m = CLAUSE.matcher(clause);
            if (!m.matches()) {
                throw GraphException.badRequest("Request_UnsupportedQuery", "Unsupported or invalid query filter clause specified "
                        + "for property '" + clause.trim() + "' of resource 'User'.");
            }
            String property = m.group(1);
            String value = m.group(3) != null ? m.group(3) : m.group(2);
            out.removeIf(u -> {
                ObjectNode n = Render.user(u, Set.of(property));
                var v = n.get(property);
                if (v == null || v.isNull()) {
                    return true;
                }
                return !(v.isBoolean() ? Boolean.toString(v.asBoolean()) : v.asText()).equalsIgnoreCase(value);
            });
        }
        return out;
    }

    private static String encodeSkip(int offset) {
        // looks like Graph's opaque "RFNwdAIAAQAAAB…" tokens; only the sandbox reads it
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("DSpt\u0002users:" + offset).getBytes(StandardCharsets.UTF_8));
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
