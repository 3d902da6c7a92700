package io.nexchange.sandbox.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nexchange.sandbox.internal.Json;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/** Writes Graph's error body: {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}. */
public final class GraphErrors {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    private GraphErrors() {
    }

    public static Resp toResponse(GraphException e, Req req) {
        ObjectNode root = Json.object();
        ObjectNode error = root.putObject("error");
        error.put("code", e.code);
        String date = DATE.format(Instant.now().truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
        if (e.throttled) {
            // the documented 429 body: innerError carries code, date, message, request-id, status
            ObjectNode inner = error.putObject("innerError");
            inner.put("code", "429");
            inner.put("date", date);
            inner.put("message", "Please retry after");
            inner.put("request-id", req.requestId);
            inner.put("status", "429");
            error.put("message", e.getMessage());
        } else {
            error.put("message", e.getMessage());
            ObjectNode inner = error.putObject("innerError");
            inner.put("date", date);
            inner.put("request-id", req.requestId);
            inner.put("client-request-id", req.clientRequestId());
        }
        Resp r = Resp.json(e.status, root, "application/json");
        for (Map.Entry<String, String> h : e.headers.entrySet()) {
            r.header(h.getKey(), h.getValue());
        }
        return r;
    }
}
