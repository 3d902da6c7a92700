package io.nexchange.graph.calendar.mapping;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.microsoft.graph.models.Event;
import com.microsoft.kiota.serialization.JsonParseNodeFactory;
import com.microsoft.kiota.serialization.JsonSerializationWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Graph events for tests as Graph sends them: JSON in the shapes of microsoft-protocols.md (7 fractional
 * digits, lower-case enum values, echoed defaults), read through the SDK's own Kiota JSON parser, the
 * way the item store will receive them.
 */
final class GraphJson {

    private GraphJson() {
    }

    /** A plain single event as calendarView delta returns it without Prefer: outlook.timezone (UTC). */
    static final String SINGLE = """
        {
          "@odata.type": "#microsoft.graph.event",
          "@odata.etag": "W/\\"DwAAABYAAAB3\\"",
          "id": "AAMkAGI2TG93AAA=",
          "createdDateTime": "2024-05-02T08:15:30.1234567Z",
          "lastModifiedDateTime": "2024-05-03T09:00:01.7654321Z",
          "changeKey": "DwAAABYAAAB3",
          "categories": [],
          "transactionId": null,
          "originalStartTimeZone": "W. Europe Standard Time",
          "originalEndTimeZone": "W. Europe Standard Time",
          "iCalUId": "040000008200E00074C5B7101A82E00800000000D0A4A5A0C0B3DA01000000000000000010000000ABCDEF",
          "reminderMinutesBeforeStart": 15,
          "isReminderOn": true,
          "hasAttachments": false,
          "subject": "Quarterly planning",
          "bodyPreview": "",
          "importance": "normal",
          "sensitivity": "normal",
          "isAllDay": false,
          "isCancelled": false,
          "isOrganizer": true,
          "responseRequested": true,
          "seriesMasterId": null,
          "showAs": "busy",
          "type": "singleInstance",
          "webLink": "https://outlook.office365.com/owa/?itemid=AAMkAGI2TG93AAA%3D",
          "onlineMeetingUrl": null,
          "isOnlineMeeting": false,
          "responseStatus": {"response": "organizer", "time": "0001-01-01T00:00:00Z"},
          "body": {"contentType": "text", "content": ""},
          "start": {"dateTime": "2024-06-10T07:00:00.0000000", "timeZone": "UTC"},
          "end": {"dateTime": "2024-06-10T08:30:00.0000000", "timeZone": "UTC"},
          "location": {"displayName": "", "locationType": "default", "uniqueIdType": "unknown", "address": {}, "coordinates": {}},
          "locations": [],
          "recurrence": null,
          "attendees": [],
          "organizer": {"emailAddress": {"name": "Adele Vance", "address": "AdeleV@contoso.example"}}
        }
        """;

    static Event event(String json) {
        return parse(JsonParser.parseString(json).getAsJsonObject());
    }

    /** {@link #SINGLE} with the members of {@code patch} replaced (objects merged member by member). */
    static Event single(String patch) {
        return parse(merge(JsonParser.parseString(SINGLE).getAsJsonObject(), JsonParser.parseString(patch).getAsJsonObject()));
    }

    static JsonObject merge(JsonObject base, JsonObject patch) {
        JsonObject merged = base.deepCopy();
        for (Map.Entry<String, JsonElement> member : patch.entrySet()) {
            JsonElement existing = merged.get(member.getKey());
            if (existing != null && existing.isJsonObject() && member.getValue().isJsonObject()) {
                merged.add(member.getKey(), merge(existing.getAsJsonObject(), member.getValue().getAsJsonObject()));
            } else {
                merged.add(member.getKey(), member.getValue());
            }
        }
        return merged;
    }

    private static Event parse(JsonObject json) {
        byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
        // read as the Graph clients read (LenientJson), so mapping tests see what the stores see
        return new JsonParseNodeFactory(io.nexchange.graph.client.internal.LenientJson.gson()).getParseNode("application/json", new ByteArrayInputStream(bytes))
            .getObjectValue(Event::createFromDiscriminatorValue);
    }

    /** The request body the SDK would send for an event built by the mapper. */
    static String requestBody(Event event) {
        try (JsonSerializationWriter writer = new JsonSerializationWriter()) {
            writer.writeObjectValue(null, event);
            return new String(writer.getSerializedContent().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
