package io.nexchange.sandbox.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.nexchange.sandbox.FaultRule;
import io.nexchange.sandbox.internal.Json;
import io.nexchange.sandbox.internal.entra.Entra;
import io.nexchange.sandbox.internal.fault.FaultInjector;
import io.nexchange.sandbox.internal.ews.EwsApi;
import io.nexchange.sandbox.internal.graph.GraphApi;
import io.nexchange.sandbox.internal.store.Tenant;
import io.nexchange.sandbox.internal.store.User;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The one HTTP handler: reads the request, routes to Entra (token, discovery), Graph (/v1.0), EWS
 * (/EWS/Exchange.asmx) or the admin API (/_sandbox), applies the wire-level faults (reset, truncated body, token outage) and
 * writes the answer.
 */
public final class RootHandler implements HttpHandler {
    private final String baseUrl;
    private final Tenant tenant;
    private final Entra entra;
    private final GraphApi graph;
    private final EwsApi ews;
    private final Function<Req, Resp> admin;
    private final FaultInjector faults;
    private final Counters counters;

    public RootHandler(String baseUrl, Tenant tenant, Entra entra, GraphApi graph, EwsApi ews, Function<Req, Resp> admin,
            FaultInjector faults, Counters counters) {
        this.baseUrl = baseUrl;
        this.tenant = tenant;
        this.entra = entra;
        this.graph = graph;
        this.ews = ews;
        this.admin = admin;
        this.faults = faults;
        this.counters = counters;
    }

    /** Graph refuses a request body over 4 MB with 413. */
    static final int MAX_GRAPH_REQUEST_BYTES = 4 * 1024 * 1024;

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(", ", v)));
            String requestId = UUID.randomUUID().toString();
            Req req = new Req(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), headers, body, requestId, baseUrl, false);
            List<String> s = req.segments;
            boolean truncate = false;
            Resp resp;
            if (!s.isEmpty() && s.get(0).equalsIgnoreCase("v1.0")) {
                Predicate<String> mailbox = mailboxMatcher(s);
                if (faults.fire(req.rawPath, mailbox, FaultRule.Kind.CONNECTION_RESET) != null) {
                    throw new IOException("connection reset (injected fault)");
                }
                truncate = faults.fire(req.rawPath, mailbox, FaultRule.Kind.TRUNCATED_BODY) != null;
                resp = body.length > MAX_GRAPH_REQUEST_BYTES
                        // Graph's limit of one request (attachments over 3 MB go through upload sessions instead)
                        ? GraphErrors.toResponse(new GraphException(413, "RequestEntityTooLarge", "The request is larger than"
                                + " the maximum allowed size of 4 MB."), req)
                        : graph.handle(req, s.subList(1, s.size()));
            } else if (s.size() == 2 && s.get(0).equalsIgnoreCase("EWS") && s.get(1).equalsIgnoreCase("Exchange.asmx")) {
                try {
                    resp = ews.handle(req);
                } catch (java.io.UncheckedIOException e) {
                    throw e.getCause();
                }
                truncate = resp.truncateBody;
            } else if (s.size() == 4 && s.get(1).equals("oauth2") && s.get(2).equals("v2.0") && s.get(3).equals("token")) {
                resp = token(req, s.get(0));
            } else if (s.size() == 3 && s.get(0).equals("common") && s.get(1).equals("discovery") && s.get(2).equals("instance")) {
                resp = entra.instanceDiscovery(req, exchange.getRequestHeaders().getFirst("Host"));
            } else if (s.size() == 4 && s.get(2).equals(".well-known") && s.get(3).equals("openid-configuration")) {
                resp = entra.openIdConfiguration(baseUrl);
            } else if (!s.isEmpty() && s.get(0).equals("_sandbox")) {
                resp = admin.apply(req);
            } else {
                resp = Resp.text(404, "Not found: " + req.rawPath);
            }
            resp.headers.putIfAbsent("request-id", requestId);
            resp.headers.putIfAbsent("client-request-id", req.clientRequestId());
            write(exchange, resp, truncate);
        }
    }

    private Resp token(Req req, String tenantSegment) {
        try {
            return tokenOrFault(req, tenantSegment);
        } catch (RuntimeException e) {
            return Resp.text(500, "The sandbox token endpoint failed: " + e);
        }
    }

    private Resp tokenOrFault(Req req, String tenantSegment) {
        String clientId = Req.parseQuery(req.bodyText()).get("client_id");
        Resp resp;
        FaultRule outage = "POST".equals(req.method) ? faults.fire(req.rawPath, m -> true, FaultRule.Kind.TOKEN_OUTAGE) : null;
        if (!"POST".equals(req.method)) {
            resp = Resp.text(405, "Method not allowed");
        } else if (outage != null) {
            ObjectNode b = Json.object();
            b.put("error", "temporarily_unavailable");
            b.put("error_description", "AADSTS90033: A transient error has occurred. Please try again.\r\nTrace ID: "
                    + req.requestId + "\r\nCorrelation ID: " + req.clientRequestId());
            b.putArray("error_codes").add(90033);
            resp = Resp.json(outage.status(), b, "application/json; charset=utf-8");
            if (outage.retryAfter() != null) {
                resp.header("Retry-After", outage.retryAfter());
            }
        } else {
            resp = entra.token(req, tenantSegment);
        }
        counters.record("POST /{tenant}/oauth2/v2.0/token", null, clientId, resp.status);
        return resp;
    }

    private Predicate<String> mailboxMatcher(List<String> s) {
        Optional<User> user = s.size() > 2 && s.get(1).equalsIgnoreCase("users") ? tenant.find(s.get(2)) : Optional.empty();
        return m -> user.isPresent() && (m.equalsIgnoreCase(user.get().id) || m.equalsIgnoreCase(user.get().userPrincipalName)
                || (user.get().mail != null && m.equalsIgnoreCase(user.get().mail)));
    }

    private static void write(HttpExchange exchange, Resp resp, boolean truncate) throws IOException {
        // a value with line breaks is several headers of one name (EWS offers Bearer and Basic challenges)
        resp.headers.forEach((k, v) -> exchange.getResponseHeaders().put(k, List.of(v.split("\n"))));
        if (resp.body.length == 0) {
            exchange.sendResponseHeaders(resp.status, -1);
            return;
        }
        exchange.sendResponseHeaders(resp.status, resp.body.length);
        OutputStream out = exchange.getResponseBody();
        if (truncate) {
            out.write(resp.body, 0, resp.body.length / 2);
            out.flush();
            throw new IOException("truncated body (injected fault)");
        }
        out.write(resp.body);
        out.close();
    }
}
