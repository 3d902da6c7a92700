package io.nexchange.sandbox.internal.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nexchange.sandbox.DeadTokenMode;
import io.nexchange.sandbox.FaultRule;
import io.nexchange.sandbox.RequestCounts;
import io.nexchange.sandbox.SandboxServer;
import io.nexchange.sandbox.internal.Json;
import io.nexchange.sandbox.internal.http.Req;
import io.nexchange.sandbox.internal.http.Resp;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The admin API, JSON over HTTPS under /_sandbox: the same operations as the public methods of
 * {@link SandboxServer} (mailbox edits as a user in Outlook makes them, counters, throttling, faults,
 * delta tokens). Listens on loopback only, like the rest of the sandbox.
 */
public final class AdminApi {
    private final SandboxServer server;

    public AdminApi(SandboxServer server) {
        this.server = server;
    }

    public Resp handle(Req req) {
        try {
            return route(req, req.segments.subList(1, req.segments.size()));
        } catch (IllegalArgumentException e) {
            return error(400, e.getMessage());
        } catch (RuntimeException e) {
            return error(500, e.toString());
        }
    }

    private Resp route(Req req, List<String> s) {
        String m = req.method;
        String first = s.isEmpty() ? "" : s.get(0);
        switch (first) {
            case "info" -> {
                ObjectNode n = Json.object();
                n.put("baseUrl", server.baseUrl());
                n.put("graphBaseUrl", server.graphBaseUrl());
                n.put("authority", server.authority());
                n.put("tenantId", server.tenantId());
                n.put("tenantDomain", server.tenantDomain());
                n.put("clientId", server.demoApp().clientId());
                n.put("clientSecretFile", server.demoSecretFile().toString());
                n.put("truststore", server.truststorePath().toString());
                return ok(n);
            }
            case "memory" -> {
                return ok(Json.MAPPER.valueToTree(server.memory()));
            }
            case "counters" -> {
                if (s.size() == 2 && s.get(1).equals("reset") && "POST".equals(m)) {
                    server.resetCounters();
                    return Resp.empty(204);
                }
                RequestCounts c = server.counters();
                return ok(Json.MAPPER.valueToTree(c));
            }
            case "meeting-messages" -> {
                if (s.size() == 2 && s.get(1).equals("reset") && "POST".equals(m)) {
                    server.clearMeetingMessages();
                    return Resp.empty(204);
                }
                List<io.nexchange.sandbox.MeetingMessage> messages = server.meetingMessages();
                ObjectNode n = Json.object();
                n.put("count", messages.size());
                ArrayNode list = n.putArray("messages");
                for (io.nexchange.sandbox.MeetingMessage msg : messages) {
                    ObjectNode x = list.addObject();
                    x.put("type", msg.type().name());
                    x.put("protocol", msg.protocol());
                    x.put("mailbox", msg.mailbox());
                    msg.to().forEach(x.putArray("to")::add);
                    x.put("eventId", msg.eventId());
                    x.put("iCalUId", msg.iCalUId());
                    x.put("subject", msg.subject());
                    x.put("occurrence", msg.occurrence() == null ? null : msg.occurrence().toString());
                    x.put("comment", msg.comment());
                    x.put("sentAt", msg.sentAt().toString());
                }
                return ok(n);
            }
            case "throttling" -> {
                JsonNode b = body(req);
                server.setThrottling(b.path("maxConcurrent").asInt(4), b.path("windowRequests").asInt(10_000),
                        Duration.ofMillis((long) (b.path("windowSeconds").asDouble(600) * 1000)), b.path("retryAfter").asText("2"));
                return Resp.empty(204);
            }
            case "faults" -> {
                if ("DELETE".equals(m)) {
                    server.clearFaults();
                    return Resp.empty(204);
                }
                if ("POST".equals(m)) {
                    server.addFault(fault(body(req)));
                    return Resp.empty(204);
                }
                ArrayNode a = Json.MAPPER.createArrayNode();
                server.faults().forEach(f -> a.add(f.toString()));
                return ok(a);
            }
            case "delta-tokens" -> {
                JsonNode b = body(req);
                server.expireDeltaTokens(b.hasNonNull("mailbox") ? b.get("mailbox").asText() : null);
                return Resp.empty(204);
            }
            case "dead-token-mode" -> {
                server.setDeadTokenMode(DeadTokenMode.valueOf(body(req).path("mode").asText()));
                return Resp.empty(204);
            }
            case "groups" -> {
                if (s.size() == 1 && "GET".equals(m)) {
                    return ok(Json.MAPPER.valueToTree(server.groups()));
                }
                if (s.size() == 3 && s.get(2).equals("members") && "POST".equals(m)) {
                    server.addGroupMember(s.get(1), body(req).path("member").asText());
                    return Resp.empty(204);
                }
                if (s.size() == 4 && s.get(2).equals("members") && "DELETE".equals(m)) {
                    server.removeGroupMember(s.get(1), s.get(3));
                    return Resp.empty(204);
                }
                return error(404, "Use GET /_sandbox/groups, POST /_sandbox/groups/{id}/members or DELETE /_sandbox/groups/{id}/members/{member}");
            }
            case "mailboxes" -> {
                if (s.size() == 1) {
                    ObjectNode n = Json.object();
                    server.mailboxes().forEach(n.putArray("mailboxes")::add);
                    server.usersWithoutMailbox().forEach(n.putArray("withoutMailbox")::add);
                    server.disabledUsers().forEach(n.putArray("disabled")::add);
                    return ok(n);
                }
                return mailbox(req, s.get(1), s.subList(2, s.size()));
            }
            default -> {
                return error(404, "Unknown admin path " + req.rawPath);
            }
        }
    }

    private Resp mailbox(Req req, String mailbox, List<String> s) {
        String m = req.method;
        if (s.isEmpty()) {
            return error(404, "Use /_sandbox/mailboxes/{upn}/events or /contacts");
        }
        if (s.get(0).equals("events")) {
            if (s.size() == 1) {
                if ("POST".equals(m)) {
                    return raw(201, server.createEvent(mailbox, req.bodyText()));
                }
                ArrayNode a = Json.MAPPER.createArrayNode();
                server.eventIds(mailbox).forEach(a::add);
                return ok(a);
            }
            String id = s.get(1);
            if (s.size() == 2) {
                return switch (m) {
                    case "GET" -> {
                        String e = server.event(mailbox, id);
                        yield e == null ? error(404, "No event " + id) : raw(200, e);
                    }
                    case "PATCH" -> raw(200, server.updateEvent(mailbox, id, req.bodyText()));
                    case "DELETE" -> {
                        server.deleteEvent(mailbox, id);
                        yield Resp.empty(204);
                    }
                    default -> error(405, "Method not allowed");
                };
            }
            JsonNode b = body(req);
            switch (s.get(2)) {
                case "exceptions" -> {
                    Instant original = Instant.parse(b.path("originalStart").asText());
                    return raw(200, server.modifyOccurrence(mailbox, id, original, b.path("patch").toString()));
                }
                case "cancel" -> {
                    if (b.has("originalStarts")) { // many at once
                        List<Instant> starts = new ArrayList<>();
                        b.path("originalStarts").forEach(start -> starts.add(Instant.parse(start.asText())));
                        server.cancelOccurrences(mailbox, id, starts);
                    } else {
                        server.cancelOccurrence(mailbox, id, Instant.parse(b.path("originalStart").asText()));
                    }
                    return Resp.empty(204);
                }
                case "end" -> {
                    server.endSeries(mailbox, id, LocalDate.parse(b.path("lastDate").asText()));
                    return Resp.empty(204);
                }
                case "malform" -> {
                    return raw(200, server.malformEvent(mailbox, id, b.toString()));
                }
                default -> {
                    return error(404, "Unknown event operation " + s.get(2));
                }
            }
        }
        if (s.get(0).equals("contacts")) {
            if (s.size() == 1) {
                if ("POST".equals(m)) {
                    return raw(201, server.createContact(mailbox, req.bodyText()));
                }
                ArrayNode a = Json.MAPPER.createArrayNode();
                server.contactIds(mailbox).forEach(a::add);
                return ok(a);
            }
            String id = s.get(1);
            return switch (m) {
                case "PATCH" -> raw(200, server.updateContact(mailbox, id, req.bodyText()));
                case "DELETE" -> {
                    server.deleteContact(mailbox, id);
                    yield Resp.empty(204);
                }
                default -> error(405, "Method not allowed");
            };
        }
        return error(404, "Unknown mailbox path");
    }

    static FaultRule fault(JsonNode b) {
        FaultRule r = FaultRule.of(FaultRule.Kind.valueOf(b.path("kind").asText().toUpperCase(Locale.ROOT)));
        if (b.has("status")) {
            r = r.withStatus(b.get("status").asInt());
        }
        if (b.hasNonNull("retryAfter")) {
            r = r.withRetryAfter(b.get("retryAfter").asText());
        }
        if (b.has("latencyMillis")) {
            r = r.withLatencyMillis(b.get("latencyMillis").asLong());
        }
        if (b.has("probability")) {
            r = r.withProbability(b.get("probability").asDouble());
        }
        if (b.has("count")) {
            r = r.forNext(b.get("count").asInt());
        }
        if (b.hasNonNull("mailbox")) {
            r = r.forMailbox(b.get("mailbox").asText());
        }
        if (b.hasNonNull("path")) {
            r = r.forPathContaining(b.get("path").asText());
        }
        return r;
    }

    private static JsonNode body(Req req) {
        if (req.body.length == 0) {
            return Json.object();
        }
        try {
            return Json.MAPPER.readTree(req.body);
        } catch (IOException e) {
            throw new IllegalArgumentException("The admin request body is not JSON: " + e.getMessage());
        }
    }

    private static Resp ok(JsonNode n) {
        return Resp.json(200, n, "application/json");
    }

    private static Resp raw(int status, String json) {
        return Resp.bytes(status, json.getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/json");
    }

    private static Resp error(int status, String message) {
        ObjectNode n = Json.object();
        n.putObject("error").put("message", message == null ? "" : message);
        return Resp.json(status, n, "application/json");
    }
}
