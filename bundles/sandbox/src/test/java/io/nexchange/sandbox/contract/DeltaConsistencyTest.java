package io.nexchange.sandbox.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nexchange.sandbox.SandboxOptions;
import io.nexchange.sandbox.SandboxServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A client that only applies delta rounds ends up with exactly the calendar view, whatever a user
 * edits in between (random edits: single events, occurrences, exceptions, series ends, creations,
 * deletions). The property the sync engine relies on.
 */
class DeltaConsistencyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WINDOW = "startDateTime=2029-12-01T00:00:00Z&endDateTime=2030-04-01T00:00:00Z";

    @Test
    void deltaRoundsReproduceTheCalendarViewAfterRandomEdits() throws Exception {
        deltaRoundsReproduceTheCalendarView(1000);
    }

    /** The mailbox is dropped from memory between requests until the first edit: tokens must carry what the client saw. */
    @Test
    void deltaRoundsReproduceTheCalendarViewWhenUnchangedMailboxesAreNotKept() throws Exception {
        deltaRoundsReproduceTheCalendarView(0);
    }

    private static void deltaRoundsReproduceTheCalendarView(int cachedMailboxes) throws Exception {
        try (SandboxServer sandbox = SandboxServer.start(SandboxOptions.defaults().users(1).eventsPerMailbox(60).contactsPerMailbox(1)
                .seed(21).anchorDate(LocalDate.of(2030, 1, 7)).cachedMailboxes(cachedMailboxes))) {
            String token = Clients.token(Clients.msalWithSecret(sandbox, sandbox.demoApp().clientId(), sandbox.demoApp().clientSecret()));
            HttpClient http = HttpClient.newBuilder().sslContext(Clients.trust(sandbox).context()).build();
            String user = sandbox.mailboxes().get(0);
            String base = sandbox.graphBaseUrl() + "/users/" + user;
            Map<String, String> local = new HashMap<>();
            String url = base + "/calendarView/delta?" + WINDOW;
            Random random = new Random(99);
            for (int round = 0; round < 8; round++) {
                while (true) {
                    JsonNode page = get(http, token, url);
                    for (JsonNode e : page.path("value")) {
                        if (e.has("@removed")) {
                            local.remove(e.path("id").asText());
                        } else {
                            local.put(e.path("id").asText(), e.path("changeKey").asText() + "|" + e.path("subject").asText()
                                    + "|" + e.path("start").path("dateTime").asText());
                        }
                    }
                    if (page.has("@odata.nextLink")) {
                        url = page.path("@odata.nextLink").asText();
                    } else {
                        url = page.path("@odata.deltaLink").asText();
                        break;
                    }
                }
                Map<String, String> view = new HashMap<>();
                for (JsonNode e : get(http, token, base + "/calendarView?" + WINDOW + "&$top=1000").path("value")) {
                    view.put(e.path("id").asText(), e.path("changeKey").asText() + "|" + e.path("subject").asText()
                            + "|" + e.path("start").path("dateTime").asText());
                }
                assertEquals(view, local, "after round " + round);
                assertTrue(view.size() > 20);
                edit(sandbox, user, new ArrayList<>(view.keySet()), http, token, base, random);
            }
        }
    }

    private static void edit(SandboxServer sandbox, String user, List<String> ids, HttpClient http, String token, String base,
            Random random) throws Exception {
        for (int i = 0; i < 4; i++) {
            String id = ids.get(random.nextInt(ids.size()));
            String json = sandbox.event(user, id);
            if (json == null) {
                continue; // deleted by an earlier edit of this round
            }
            JsonNode e = JSON.readTree(json);
            String type = e.path("type").asText();
            switch (random.nextInt(5)) {
                case 0 -> sandbox.updateEvent(user, id, "{\"subject\":\"edit " + random.nextInt(1000) + "\"}");
                case 1 -> sandbox.deleteEvent(user, id);
                case 2 -> {
                    if (!type.equals("singleInstance")) {
                        sandbox.modifyOccurrence(user, e.path("seriesMasterId").asText(), Instant.parse(e.path("originalStart").asText()),
                                "{\"subject\":\"moved\",\"start\":{\"dateTime\":\"2030-02-02T08:00:00\",\"timeZone\":\"UTC\"},"
                                        + "\"end\":{\"dateTime\":\"2030-02-02T09:00:00\",\"timeZone\":\"UTC\"}}");
                    }
                }
                case 3 -> {
                    if (!type.equals("singleInstance")) {
                        sandbox.endSeries(user, e.path("seriesMasterId").asText(), LocalDate.of(2030, 1, 1 + random.nextInt(60) / 2));
                    }
                }
                default -> sandbox.createEvent(user, "{\"subject\":\"new\",\"start\":{\"dateTime\":\"2030-01-" + (10 + random.nextInt(18))
                        + "T10:00:00\",\"timeZone\":\"Tokyo Standard Time\"},\"end\":{\"dateTime\":\"2030-01-28T11:00:00\","
                        + "\"timeZone\":\"Tokyo Standard Time\"}}");
            }
        }
    }

    private static JsonNode get(HttpClient http, String token, String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Prefer", "odata.maxpagesize=25").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }
}
