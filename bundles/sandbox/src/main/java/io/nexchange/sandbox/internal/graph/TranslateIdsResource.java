package io.nexchange.sandbox.internal.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nexchange.sandbox.internal.Json;
import io.nexchange.sandbox.internal.http.GraphException;
import io.nexchange.sandbox.internal.http.Resp;
import io.nexchange.sandbox.internal.store.ItemIds;
import java.util.Locale;
import java.util.Set;

/**
 * POST /users/{id}/translateExchangeIds between ewsId, restId and restImmutableEntryId (the
 * sandbox's ids never change on a move, so the immutable form is the REST form). entryId and
 * immutableEntryId (MAPI binary forms) are not emulated.
 */
final class TranslateIdsResource {
    private static final Set<String> SUPPORTED = Set.of("ewsid", "restid", "restimmutableentryid");

    private static JsonNode field(JsonNode body, String name) {
        for (var it = body.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (f.equalsIgnoreCase(name)) {
                return body.get(f);
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    Resp handle(Ctx ctx) {
        if (!"POST".equals(ctx.req().method)) {
            throw CalendarResource.methodNotAllowed();
        }
        JsonNode body = CalendarResource.readTree(ctx.req());
        // the SDK sends the action's parameters as the metadata spells them (InputIds, SourceIdType)
        String source = field(body, "sourceIdType").asText("");
        String target = field(body, "targetIdType").asText("");
        for (String t : new String[] {source, target}) {
            if (!SUPPORTED.contains(t.toLowerCase(Locale.ROOT))) {
                throw GraphException.badRequest("ErrorInvalidIdMalformed", "The id type '" + t + "' is not supported by the sandbox.");
            }
        }
        ObjectNode out = Json.object();
        out.put("@odata.context", Render.context(ctx.req(), "Collection(microsoft.graph.convertIdResult)"));
        ArrayNode value = out.putArray("value");
        for (JsonNode id : field(body, "inputIds")) {
            String in = id.asText();
            ObjectNode r = value.addObject();
            r.put("sourceId", in);
            try {
                String rest = source.equalsIgnoreCase("ewsId") ? ItemIds.ewsToRest(in) : in;
                ItemIds.fromRest(rest);
                r.put("targetId", target.equalsIgnoreCase("ewsId") ? ItemIds.restToEws(rest) : rest);
            } catch (IllegalArgumentException e) {
                ObjectNode err = r.putObject("errorDetails");
                err.put("code", "ErrorInvalidIdMalformed");
                err.put("message", "Id is malformed.");
            }
        }
        return Resp.json(200, out);
    }
}
