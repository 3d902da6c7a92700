package io.nexchange.sandbox.internal.graph;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nexchange.sandbox.internal.Json;
import io.nexchange.sandbox.internal.http.GraphException;
import io.nexchange.sandbox.internal.http.Req;
import io.nexchange.sandbox.internal.http.Resp;
import io.nexchange.sandbox.internal.store.CalendarFolder;
import io.nexchange.sandbox.internal.store.Event;
import io.nexchange.sandbox.internal.store.GraphTime;
import io.nexchange.sandbox.internal.store.ItemIds;
import io.nexchange.sandbox.internal.store.Mailbox;
import io.nexchange.sandbox.internal.store.MeetingOutbox;
import io.nexchange.sandbox.internal.store.Values;
import io.nexchange.sandbox.MeetingMessage;
import io.nexchange.sandbox.internal.store.TimeZones;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Calendars and events: /calendar, /calendars[/{id}], events (list, create, get, update, delete),
 * /events/{id}/instances, calendarView and calendarView/delta, under the default or a given calendar.
 */
final class CalendarResource {
    private static final int DEFAULT_PAGE = 10;
    /** Properties the server owns; a client's values for them are ignored. */
    private static final Map<MeetingMessage.Type, String> RESPONSE_ACTIONS = Map.of(MeetingMessage.Type.ACCEPTED, "accept",
            MeetingMessage.Type.TENTATIVELY_ACCEPTED, "tentativelyAccept", MeetingMessage.Type.DECLINED, "decline");
    private static final String[] SERVER_OWNED = {"id", "changeKey", "createdDateTime", "lastModifiedDateTime", "iCalUId",
        "type", "seriesMasterId", "originalStart", "bodyPreview", "webLink", "onlineMeeting", "onlineMeetingUrl", "organizer",
        "isOrganizer"};

    private final DeltaResource delta;
    private final MeetingOutbox meetingMessages;

    CalendarResource(DeltaResource delta, MeetingOutbox meetingMessages) {
        this.delta = delta;
        this.meetingMessages = meetingMessages;
    }

    Resp handle(Ctx ctx) {
        List<String> rest = ctx.rest();
        Mailbox mb = ctx.mailbox();
        String head = rest.get(0);
        if (Segments.is(head, "calendar")) {
            CalendarFolder c = mb.defaultCalendar();
            return rest.size() == 1 ? getCalendar(ctx, c) : scoped(ctx, c, rest.subList(1, rest.size()));
        }
        if (Segments.is(head, "calendars")) {
            if (rest.size() == 1) {
                return "POST".equals(ctx.req().method) ? createCalendar(ctx) : listCalendars(ctx);
            }
            CalendarFolder c = mb.calendar(rest.get(1)).orElseThrow(() -> GraphException.notFound(
                    "The specified object was not found in the store."));
            return rest.size() == 2 ? getCalendar(ctx, c) : scoped(ctx, c, rest.subList(2, rest.size()));
        }
        if (Segments.is(head, "events") || Segments.is(head, "calendarView")) {
            return scoped(ctx, null, rest);
        }
        throw new GraphException(400, "BadRequest", "Resource not found for the segment '" + head + "'.");
    }

    /** Below a calendar (null: the default calendar for lists, any calendar for ids). */
    private Resp scoped(Ctx ctx, CalendarFolder calendar, List<String> tail) {
        Mailbox mb = ctx.mailbox();
        String method = ctx.req().method;
        CalendarFolder scope = calendar != null ? calendar : mb.defaultCalendar();
        String head = tail.get(0);
        if (Segments.is(head, "calendarView")) {
            if (tail.size() == 1) {
                requireGet(method);
                return calendarView(ctx, scope);
            }
            if (tail.size() == 2 && Segments.isDelta(tail.get(1))) {
                requireGet(method);
                String scopeId = scope.id;
                return delta.delta(ctx, DeltaTracker.Kind.EVENTS, scopeId, (m, from, to) -> {
                    LinkedHashMap<String, Object> out = new LinkedHashMap<>();
                    List<Event> views = new ArrayList<>();
                    for (Event item : m.items(scopeId)) {
                        views.addAll(m.instances(item, from, to));
                    }
                    views.sort((a, b) -> Mailbox.startOf(a).compareTo(Mailbox.startOf(b)));
                    views.forEach(v -> out.put(v.id, v));
                    return out;
                });
            }
        }
        if (Segments.is(head, "events")) {
            if (tail.size() == 1) {
                return "POST".equals(method) ? create(ctx, scope) : list(ctx, scope);
            }
            if (Segments.isDelta(tail.get(1))) {
                throw GraphException.badRequest("ErrorInvalidRequest", "Change tracking is not supported against 'microsoft.graph.event'.");
            }
            String id = tail.get(1);
            if (tail.size() == 2) {
                return switch (method) {
                    case "GET" -> get(ctx, id);
                    case "PATCH" -> update(ctx, id);
                    case "DELETE" -> delete(ctx, id);
                    default -> throw methodNotAllowed();
                };
            }
            if (tail.size() == 3 && Segments.is(tail.get(2), "instances")) {
                requireGet(method);
                return instances(ctx, id);
            }
            if (tail.size() == 3 && Segments.is(tail.get(2), "cancel")) {
                requirePost(method);
                return cancel(ctx, id);
            }
            for (MeetingMessage.Type answer : List.of(MeetingMessage.Type.ACCEPTED, MeetingMessage.Type.TENTATIVELY_ACCEPTED,
                    MeetingMessage.Type.DECLINED)) {
                if (tail.size() == 3 && Segments.is(tail.get(2), RESPONSE_ACTIONS.get(answer))) {
                    requirePost(method);
                    return respond(ctx, id, answer);
                }
            }
        }
        throw new GraphException(400, "BadRequest", "Resource not found for the segment '" + tail.get(tail.size() - 1) + "'.");
    }

    private Resp listCalendars(Ctx ctx) {
        ObjectNode body = Json.object();
        body.put("@odata.context", Render.context(ctx.req(), "users('" + ctx.user().id + "')/calendars"));
        ArrayNode value = body.putArray("value");
        for (CalendarFolder c : ctx.mailbox().calendars()) {
            value.add(Render.calendar(c, ctx.user()));
        }
        return Resp.json(200, body);
    }

    private Resp getCalendar(Ctx ctx, CalendarFolder c) {
        requireGet(ctx.req().method);
        ObjectNode body = Json.object();
        body.put("@odata.context", Render.context(ctx.req(), "users('" + ctx.user().id + "')/calendars/$entity"));
        body.setAll(Render.calendar(c, ctx.user()));
        return Resp.json(200, body);
    }

    private Resp createCalendar(Ctx ctx) {
        String name = readTree(ctx.req()).path("name").asText("");
        if (name.isBlank()) {
            throw GraphException.badRequest("ErrorInvalidRequest", "The calendar name is required.");
        }
        CalendarFolder c = ctx.mailbox().createCalendar(name);
        ObjectNode body = Json.object();
        body.put("@odata.context", Render.context(ctx.req(), "users('" + ctx.user().id + "')/calendars/$entity"));
        body.setAll(Render.calendar(c, ctx.user()));
        return Resp.json(201, body);
    }

    private Resp list(Ctx ctx, CalendarFolder scope) {
        List<Event> items = ctx.mailbox().items(scope.id);
        List<ObjectNode> rendered = new ArrayList<>();
        synchronized (ctx.mailbox()) {
            for (Event e : items) {
                rendered.add(Render.applySelect(Render.event(e, ctx.prefer().timeZone()), Render.select(ctx.req())));
            }
        }
        return page(ctx, rendered, "users('" + ctx.user().id + "')/events");
    }

    private Resp calendarView(Ctx ctx, CalendarFolder scope) {
        Instant[] window = window(ctx.req());
        Mailbox mb = ctx.mailbox();
        List<Event> views = new ArrayList<>();
        synchronized (mb) {
            for (Event item : mb.items(scope.id)) {
                views.addAll(mb.instances(item, window[0], window[1]));
            }
        }
        views.sort((a, b) -> Mailbox.startOf(a).compareTo(Mailbox.startOf(b)));
        List<ObjectNode> rendered = new ArrayList<>();
        for (Event e : views) {
            rendered.add(Render.applySelect(Render.event(e, ctx.prefer().timeZone()), Render.select(ctx.req())));
        }
        return page(ctx, rendered, "users('" + ctx.user().id + "')/calendarView");
    }

    private Resp instances(Ctx ctx, String id) {
        Instant[] window = window(ctx.req());
        Mailbox mb = ctx.mailbox();
        List<ObjectNode> rendered = new ArrayList<>();
        synchronized (mb) {
            Event item = mb.item(id).orElseThrow(() -> GraphException.notFound("The specified object was not found in the store."));
            for (Event e : item.isSeriesMaster() ? mb.instances(item, window[0], window[1]) : List.<Event>of()) {
                rendered.add(Render.applySelect(Render.event(e, ctx.prefer().timeZone()), Render.select(ctx.req())));
            }
        }
        return page(ctx, rendered, "users('" + ctx.user().id + "')/events('" + id + "')/instances");
    }

    /** $top/$skip paging as Graph does for events, calendarView and instances. */
    private Resp page(Ctx ctx, List<ObjectNode> all, String context) {
        Req req = ctx.req();
        int top = Render.intParam(req, "$top", DEFAULT_PAGE);
        Integer preferred = ctx.prefer().maxPageSize();
        if (req.query("$top") == null && preferred != null) {
            top = preferred;
        }
        top = Math.max(1, Math.min(1000, top));
        int skip = Math.max(0, Render.intParam(req, "$skip", 0));
        ObjectNode body = Json.object();
        body.put("@odata.context", Render.context(req, context));
        ArrayNode value = Json.MAPPER.createArrayNode();
        int end = Math.min(all.size(), skip + top);
        for (int i = skip; i < end; i++) {
            value.add(all.get(i));
        }
        body.set("value", value);
        if (end < all.size()) {
            Map<String, String> params = new LinkedHashMap<>(req.queryMap());
            params.remove("$skip");
            params.remove("skip");
            params.put("$skip", Integer.toString(end));
            body.put("@odata.nextLink", Render.link(req, params));
        }
        Resp r = Resp.json(200, body);
        if (ctx.prefer().timeZone() != null) {
            r.header("Preference-Applied", "outlook.timezone=\"" + ctx.prefer().timeZone() + "\"");
        }
        return r;
    }

    private Resp get(Ctx ctx, String id) {
        Mailbox mb = ctx.mailbox();
        ObjectNode body = Json.object();
        body.put("@odata.context", Render.context(ctx.req(), "users('" + ctx.user().id + "')/events/$entity"));
        synchronized (mb) {
            Event e = mb.event(id).orElseThrow(() -> GraphException.notFound("The specified object was not found in the store."));
            Set<String> select = Render.select(ctx.req());
            body.setAll(Render.applySelect(Render.event(e, ctx.prefer().timeZone()), select));
            if (e.isSeriesMaster()) {
                seriesExtras(ctx, mb, mb.item(id).orElseThrow(), body, select);
            }
        }
        return Resp.json(200, body);
    }

    /**
     * cancelledOccurrences ($select) and exceptionOccurrences ($expand) of a series master, as v1.0
     * offers them: "OID.{master id}.{original start date}" and the exception events.
     */
    private static void seriesExtras(Ctx ctx, Mailbox mb, Event master, ObjectNode body, Set<String> select) {
        if (select != null && select.stream().anyMatch(s -> s.equalsIgnoreCase("cancelledOccurrences"))) {
            ArrayNode cancelled = body.putArray("cancelledOccurrences");
            java.time.ZoneId zone = TimeZones.zoneOrUtc(master.recurrence.range.recurrenceTimeZone != null
                    ? master.recurrence.range.recurrenceTimeZone : master.start.timeZone);
            for (Instant start : master.cancelledOccurrences) {
                cancelled.add("OID." + master.id + "." + start.atZone(zone).toLocalDate());
            }
        }
        String expand = ctx.req().query("$expand");
        if (expand != null && expand.toLowerCase(java.util.Locale.ROOT).contains("exceptionoccurrences")) {
            ArrayNode exceptions = body.putArray("exceptionOccurrences");
            for (Event ex : master.exceptions.values()) {
                exceptions.add(Render.event(ex, ctx.prefer().timeZone()));
            }
        }
    }

    private Resp create(Ctx ctx, CalendarFolder scope) {
        Event e;
        try {
            e = Json.MAPPER.readValue(ctx.req().body, Event.class);
        } catch (IOException ex) {
            throw GraphException.badRequest("RequestBodyRead", "Cannot read the request body: " + ex.getMessage());
        }
        clearServerOwned(e);
        // the mailbox organises what is created in its calendar, whatever organizer the body names
        e.organizer = new Values.Recipient(new Values.EmailAddress(ctx.user().displayName, ctx.user().mail));
        e.isOrganizer = true;
        e.responseStatus = new Values.ResponseStatus("organizer", "0001-01-01T00:00:00Z");
        validate(e);
        Event created;
        synchronized (ctx.mailbox()) {
            // transactionId: Graph answers a retried POST with the event it already created
            Event existing = e.transactionId == null ? null : ctx.mailbox().items(scope.id).stream()
                    .filter(x -> e.transactionId.equals(x.transactionId)).findFirst().orElse(null);
            created = existing != null ? existing : ctx.mailbox().createEvent(scope.id, e);
            if (existing == null) {
                meetingMessages.created("graph", ctx.mailbox(), created, true);
            }
        }
        ObjectNode body = Json.object();
        body.put("@odata.context", Render.context(ctx.req(), "users('" + ctx.user().id + "')/events/$entity"));
        synchronized (ctx.mailbox()) {
            body.setAll(Render.event(created, ctx.prefer().timeZone()));
        }
        return Resp.json(201, body).header("Location", ctx.req().baseUrl + "/v1.0/users('" + ctx.user().id + "')/events('" + created.id + "')");
    }

    private Resp update(Ctx ctx, String id) {
        Mailbox mb = ctx.mailbox();
        Event result;
        synchronized (mb) {
            Event target = mb.event(id).orElseThrow(() -> GraphException.notFound("The specified object was not found in the store."));
            checkIfMatch(ctx.req(), target.changeKey);
            Optional<ItemIds.Occurrence> occurrence = "singleInstance".equals(target.type) || target.isSeriesMaster()
                    ? Optional.empty() : ItemIds.parseOccurrence(id);
            Event before = Json.copy(target, Event.class);
            if (occurrence.isPresent()) {
                Event master = mb.item(occurrence.get().masterId()).orElseThrow();
                result = mb.updateOccurrence(master, occurrence.get().originalStart(), ev -> patch(ctx.req(), ev, false));
            } else {
                result = mb.updateItem(target, ev -> patch(ctx.req(), ev, true));
            }
            meetingMessages.updated("graph", mb, before, result, occurrence.map(ItemIds.Occurrence::originalStart).orElse(null),
                    MeetingOutbox.Scope.CONCERNED);
        }
        ObjectNode body = Json.object();
        body.put("@odata.context", Render.context(ctx.req(), "users('" + ctx.user().id + "')/events/$entity"));
        synchronized (mb) {
            body.setAll(Render.event(result, ctx.prefer().timeZone()));
        }
        return Resp.json(200, body);
    }

    private Resp delete(Ctx ctx, String id) {
        Mailbox mb = ctx.mailbox();
        synchronized (mb) {
            Event target = mb.event(id).orElseThrow(() -> GraphException.notFound("The specified object was not found in the store."));
            checkIfMatch(ctx.req(), target.changeKey);
            remove(mb, id, target, null);
        }
        return Resp.empty(204);
    }

    /** Deletes an item, or cancels an occurrence; Exchange tells the attendees of a meeting the mailbox organises. */
    private void remove(Mailbox mb, String id, Event target, String comment) {
        if ("occurrence".equals(target.type) || "exception".equals(target.type)) {
            ItemIds.Occurrence o = ItemIds.parseOccurrence(id).orElseThrow();
            Event master = mb.item(o.masterId()).orElseThrow();
            meetingMessages.deleted("graph", mb, master, o.originalStart(), true, comment);
            mb.cancelOccurrence(master, o.originalStart());
        } else {
            meetingMessages.deleted("graph", mb, target, null, true, comment);
            mb.deleteItem(target);
        }
    }

    /** POST /events/{id}/cancel: the organizer cancels a meeting (or one occurrence) with a comment to the attendees. */
    private Resp cancel(Ctx ctx, String id) {
        Mailbox mb = ctx.mailbox();
        String comment = parameter(readTree(ctx.req()), "comment").map(com.fasterxml.jackson.databind.JsonNode::asText).orElse(null);
        synchronized (mb) {
            Event target = mb.event(id).orElseThrow(() -> GraphException.notFound("The specified object was not found in the store."));
            if (Boolean.FALSE.equals(target.isOrganizer)) {
                throw GraphException.badRequest("ErrorInvalidRequest", "Your request can't be completed. You need to be an organizer to "
                        + "cancel a meeting.");
            }
            remove(mb, id, target, comment);
        }
        return Resp.empty(202);
    }

    /**
     * POST /events/{id}/accept|tentativelyAccept|decline: the attendee's answer, sent to the organizer unless
     * {@code sendResponse} is false; a declined meeting (or occurrence) leaves the calendar, as in Exchange.
     */
    private Resp respond(Ctx ctx, String id, MeetingMessage.Type answer) {
        Mailbox mb = ctx.mailbox();
        com.fasterxml.jackson.databind.JsonNode body = readTree(ctx.req());
        // action parameters are case-insensitive in Graph; the SDKs send them as "SendResponse", "Comment"
        boolean sendResponse = parameter(body, "sendResponse").map(com.fasterxml.jackson.databind.JsonNode::asBoolean).orElse(true);
        String comment = parameter(body, "comment").map(com.fasterxml.jackson.databind.JsonNode::asText).orElse(null);
        synchronized (mb) {
            Event target = mb.event(id).orElseThrow(() -> GraphException.notFound("The specified object was not found in the store."));
            if (!Boolean.FALSE.equals(target.isOrganizer)) {
                throw GraphException.badRequest("ErrorInvalidRequest", "Your request can't be completed. You can't respond to a meeting "
                        + "you organized.");
            }
            Optional<ItemIds.Occurrence> occurrence = "singleInstance".equals(target.type) || target.isSeriesMaster()
                    ? Optional.empty() : ItemIds.parseOccurrence(id);
            if (sendResponse) {
                meetingMessages.responded("graph", mb, target, occurrence.map(ItemIds.Occurrence::originalStart).orElse(null), answer, comment);
            }
            String response = switch (answer) {
                case ACCEPTED -> "accepted";
                case TENTATIVELY_ACCEPTED -> "tentativelyAccepted";
                default -> "declined";
            };
            Values.ResponseStatus status = new Values.ResponseStatus(response, GraphTime.timestamp(mb.now()));
            if (answer == MeetingMessage.Type.DECLINED) {
                if (occurrence.isPresent()) {
                    mb.cancelOccurrence(mb.item(occurrence.get().masterId()).orElseThrow(), occurrence.get().originalStart());
                } else {
                    mb.deleteItem(target);
                }
            } else if (occurrence.isPresent()) {
                mb.updateOccurrence(mb.item(occurrence.get().masterId()).orElseThrow(), occurrence.get().originalStart(),
                        ev -> ev.responseStatus = status);
            } else {
                mb.updateItem(target, ev -> ev.responseStatus = status);
            }
        }
        return Resp.empty(202);
    }

    private static void patch(Req req, Event e, boolean mayChangeRecurrence) {
        Map<String, Object> kept = new LinkedHashMap<>();
        ObjectNode snapshot = Json.MAPPER.valueToTree(e);
        for (String f : SERVER_OWNED) {
            kept.put(f, snapshot.get(f));
        }
        Object recurrence = e.recurrence;
        try {
            Json.MAPPER.readerForUpdating(e).readValue(req.body);
        } catch (IOException ex) {
            throw GraphException.badRequest("RequestBodyRead", "Cannot read the request body: " + ex.getMessage());
        }
        e.id = text(kept.get("id"));
        e.changeKey = text(kept.get("changeKey"));
        e.createdDateTime = text(kept.get("createdDateTime"));
        e.lastModifiedDateTime = text(kept.get("lastModifiedDateTime"));
        e.iCalUId = text(kept.get("iCalUId"));
        e.type = text(kept.get("type"));
        e.seriesMasterId = text(kept.get("seriesMasterId"));
        e.originalStart = text(kept.get("originalStart"));
        // not writable in Graph: the organizer of an event stays who it is
        com.fasterxml.jackson.databind.JsonNode organizer = (com.fasterxml.jackson.databind.JsonNode) kept.get("organizer");
        e.organizer = organizer == null || organizer.isNull() ? null : Json.MAPPER.convertValue(organizer, Values.Recipient.class);
        com.fasterxml.jackson.databind.JsonNode isOrganizer = (com.fasterxml.jackson.databind.JsonNode) kept.get("isOrganizer");
        e.isOrganizer = isOrganizer == null || isOrganizer.isNull() ? null : isOrganizer.asBoolean();
        if (!mayChangeRecurrence) {
            e.recurrence = (io.nexchange.sandbox.internal.store.Values.PatternedRecurrence) recurrence;
        }
        validate(e);
    }

    private static String text(Object node) {
        if (node instanceof com.fasterxml.jackson.databind.JsonNode n && !n.isNull()) {
            return n.asText();
        }
        return null;
    }

    private static void clearServerOwned(Event e) {
        e.id = null;
        e.changeKey = null;
        e.createdDateTime = null;
        e.lastModifiedDateTime = null;
        e.iCalUId = null;
        e.type = null;
        e.seriesMasterId = null;
        e.originalStart = null;
        // read-only in Graph: Exchange creates the meeting when isOnlineMeeting is set
        e.onlineMeeting = null;
        e.onlineMeetingUrl = null;
    }

    private static void validate(Event e) {
        if (e.start == null || e.end == null || e.start.dateTime == null || e.end.dateTime == null) {
            throw GraphException.badRequest("ErrorInvalidRequest", "Your request can't be completed. The event start and end are required.");
        }
        for (String tz : new String[] {e.start.timeZone, e.end.timeZone}) {
            if (tz == null || !TimeZones.isKnown(tz)) {
                throw GraphException.badRequest("TimeZoneNotSupportedException",
                        "A valid TimeZone value must be specified. The following TimeZone value is not supported: '" + tz + "'.");
            }
        }
        if (Mailbox.endOf(e).isBefore(Mailbox.startOf(e))) {
            throw GraphException.badRequest("ErrorInvalidRequest", "Your request can't be completed. The end date must be after the start date.");
        }
        if (Boolean.TRUE.equals(e.isAllDay)) {
            var s = GraphTime.parseLocal(e.start.dateTime);
            var en = GraphTime.parseLocal(e.end.dateTime);
            if (!s.toLocalTime().equals(java.time.LocalTime.MIDNIGHT) || !en.toLocalTime().equals(java.time.LocalTime.MIDNIGHT)) {
                throw GraphException.badRequest("ErrorPropertyValidationFailure",
                        "Your request can't be completed. If an event is marked as all-day, the start and end time must be at midnight.");
            }
        }
        if (e.recurrence != null && (e.recurrence.pattern == null || e.recurrence.range == null)) {
            throw GraphException.badRequest("ErrorInvalidRequest", "A recurrence needs both pattern and range.");
        }
    }

    static void checkIfMatch(Req req, String changeKey) {
        String ifMatch = req.header("If-Match");
        if (ifMatch == null || ifMatch.trim().equals("*")) {
            return;
        }
        String v = ifMatch.trim();
        if (v.startsWith("W/")) {
            v = v.substring(2);
        }
        v = v.replace("\"", "");
        if (!v.equals(changeKey)) {
            throw new GraphException(412, "ErrorIrresolvableConflict", "The send or update operation could not be performed because "
                    + "the change key passed in the request does not match the current change key for the item.");
        }
    }

    private static Instant[] window(Req req) {
        String s = req.query("startDateTime");
        String e = req.query("endDateTime");
        if (s == null || e == null) {
            throw GraphException.badRequest("ErrorInvalidParameter", "This request requires a time window specified by the query "
                    + "string parameters StartDateTime and EndDateTime.");
        }
        return new Instant[] {GraphTime.parseInstant(s), GraphTime.parseInstant(e)};
    }

    static com.fasterxml.jackson.databind.JsonNode readTree(Req req) {
        try {
            return Json.MAPPER.readTree(req.body);
        } catch (IOException ex) {
            throw GraphException.badRequest("RequestBodyRead", "Cannot read the request body.");
        }
    }

    /** A parameter of an action's body, its name compared without regard to case as Graph does. */
    private static Optional<com.fasterxml.jackson.databind.JsonNode> parameter(com.fasterxml.jackson.databind.JsonNode body, String name) {
        for (java.util.Iterator<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it = body.fields(); it.hasNext();) {
            Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> field = it.next();
            if (field.getKey().equalsIgnoreCase(name) && !field.getValue().isNull()) {
                return Optional.of(field.getValue());
            }
        }
        return Optional.empty();
    }

    private static void requirePost(String method) {
        if (!"POST".equals(method)) {
            throw methodNotAllowed();
        }
    }

    private static void requireGet(String method) {
        if (!"GET".equals(method)) {
            throw methodNotAllowed();
        }
    }

    static GraphException methodNotAllowed() {
        return new GraphException(405, "ErrorInvalidRequest", "The OData request is not supported.");
    }
}
