package io.nexchange.sandbox.internal.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nexchange.sandbox.internal.Json;
import io.nexchange.sandbox.internal.http.GraphErrors;
import io.nexchange.sandbox.internal.http.GraphException;
import io.nexchange.sandbox.internal.http.Req;
import io.nexchange.sandbox.internal.http.Resp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * POST /$batch: up to 20 requests, unique ids, dependsOn (a failed dependency gives 424), each item
 * answered through the same Graph handling (so each one counts, is throttled and can fail on its own;
 * a throttled item is a 429 with Retry-After in its own headers).
 */
final class BatchResource {
    static final int MAX_REQUESTS = 20;
    private final GraphApi graph;

    BatchResource(GraphApi graph) {
        this.graph = graph;
    }

    Resp handle(Req req) {
        if (!"POST".equals(req.method)) {
            throw CalendarResource.methodNotAllowed();
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(req.body);
        } catch (IOException e) {
            throw GraphException.badRequest("BadRequest", "Invalid batch payload format.");
        }
        JsonNode requests = root == null ? null : root.get("requests");
        if (requests == null || !requests.isArray()) {
            throw GraphException.badRequest("BadRequest", "Invalid batch payload format.");
        }
        if (requests.size() > MAX_REQUESTS) {
            throw GraphException.badRequest("BadRequest", "Too many requests in the batch. A batch can contain at most "
                    + MAX_REQUESTS + " requests.");
        }
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        for (JsonNode r : requests) {
            String id = r.path("id").asText("");
            if (id.isEmpty() || !r.hasNonNull("method") || !r.hasNonNull("url")) {
                throw GraphException.badRequest("BadRequest", "Each batch request needs an id, a method and a url.");
            }
            if (byId.putIfAbsent(id, r) != null) {
                throw GraphException.badRequest("BadRequest", "Batch request ids must be unique. Duplicate id: '" + id + "'.");
            }
        }
        for (JsonNode r : requests) {
            for (JsonNode dep : r.path("dependsOn")) {
                if (!byId.containsKey(dep.asText())) {
                    throw GraphException.badRequest("BadRequest", "Request '" + r.path("id").asText()
                            + "' depends on an id that is not in the batch: '" + dep.asText() + "'.");
                }
            }
        }
        Map<String, Integer> statusById = new HashMap<>();
        ArrayNode responses = Json.MAPPER.createArrayNode();
        List<String> pending = new ArrayList<>(byId.keySet());
        while (!pending.isEmpty()) {
            boolean progressed = false;
            for (String id : new ArrayList<>(pending)) {
                JsonNode r = byId.get(id);
                Set<String> deps = new LinkedHashSet<>();
                r.path("dependsOn").forEach(d -> deps.add(d.asText()));
                if (!statusById.keySet().containsAll(deps)) {
                    continue;
                }
                pending.remove(id);
                progressed = true;
                boolean failedDependency = deps.stream().anyMatch(d -> statusById.get(d) >= 400);
                Resp inner;
                Req innerReq = innerRequest(req, r);
                if (failedDependency) {
                    inner = GraphErrors.toResponse(new GraphException(424, "FailedDependency",
                            "The request could not be processed because a request it depends on failed."), innerReq);
                } else if (r.hasNonNull("body") && headerOf(r, "Content-Type") == null) {
                    inner = GraphErrors.toResponse(GraphException.badRequest("BadRequest",
                            "A Content-Type header is required when the request has a body."), innerReq);
                } else {
                    inner = graph.handle(innerReq, innerReq.segments.subList(1, innerReq.segments.size()));
                }
                statusById.put(id, inner.status);
                responses.add(toJson(id, inner));
            }
            if (!progressed) {
                throw GraphException.badRequest("BadRequest", "The dependsOn graph of the batch has a cycle.");
            }
        }
        ObjectNode body = Json.object();
        body.set("responses", responses);
        return Resp.json(200, body, "application/json; charset=utf-8");
    }

    private static Req innerRequest(Req outer, JsonNode r) {
        String url = r.path("url").asText();
        if (!url.startsWith("/")) {
            url = "/" + url;
        }
        int q = url.indexOf('?');
        String path = "/v1.0" + (q < 0 ? url : url.substring(0, q));
        String query = q < 0 ? null : url.substring(q + 1);
        Map<String, String> headers = new LinkedHashMap<>();
        r.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
        // the batch's own credentials and client ids apply to every item
        copy(outer, headers, "Authorization");
        copy(outer, headers, "client-request-id");
        byte[] body = null;
        JsonNode b = r.get("body");
        if (b != null && !b.isNull()) {
            String type = headers.getOrDefault("Content-Type", headers.getOrDefault("content-type", ""));
            if (b.isTextual() && !type.toLowerCase(java.util.Locale.ROOT).contains("json")) {
                body = Base64.getDecoder().decode(b.asText());
            } else {
                try {
                    body = Json.MAPPER.writeValueAsBytes(b);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return new Req(r.path("method").asText("GET"), path, query, headers, body, java.util.UUID.randomUUID().toString(),
                outer.baseUrl, true);
    }

    private static void copy(Req outer, Map<String, String> headers, String name) {
        if (outer.header(name) != null && headers.keySet().stream().noneMatch(k -> k.equalsIgnoreCase(name))) {
            headers.put(name, outer.header(name));
        }
    }

    private static String headerOf(JsonNode r, String name) {
        JsonNode headers = r.path("headers");
        for (var it = headers.fieldNames(); it.hasNext();) {
            String k = it.next();
            if (k.equalsIgnoreCase(name)) {
                return headers.get(k).asText();
            }
        }
        return null;
    }

    private static ObjectNode toJson(String id, Resp inner) {
        ObjectNode n = Json.object();
        n.put("id", id);
        n.put("status", inner.status);
        ObjectNode headers = n.putObject("headers");
        inner.headers.forEach(headers::put);
        if (inner.body.length > 0) {
            String type = inner.headers.getOrDefault("Content-Type", "");
            if (type.contains("json")) {
                try {
                    n.set("body", Json.MAPPER.readTree(inner.body));
                } catch (IOException e) {
                    n.put("body", new String(inner.body, StandardCharsets.UTF_8));
                }
            } else {
                n.put("body", Base64.getEncoder().encodeToString(inner.body));
            }
        }
        return n;
    }
}
