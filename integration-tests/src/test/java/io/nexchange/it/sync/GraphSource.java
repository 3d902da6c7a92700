package io.nexchange.it.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nexchange.sandbox.SandboxServer;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The source as a Graph client sees it: the sandbox read over HTTPS with the demo app's token, independently of the
 * product's Graph stores (plain JDK HTTP + Jackson). These reads are counted by the sandbox like any other, so the
 * tests read the source only outside the cycles they count.
 */
final class GraphSource {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Every event property the comparison uses, plus the series extras ($select is needed for cancelledOccurrences). */
    static final String EVENT_SELECT = String.join(",", "id", "iCalUId", "subject", "body", "start", "end", "isAllDay",
            "originalStartTimeZone", "originalEndTimeZone", "location", "locations", "organizer", "attendees", "sensitivity",
            "showAs", "importance", "categories", "isReminderOn", "reminderMinutesBeforeStart", "isCancelled", "recurrence",
            "type", "seriesMasterId", "originalStart", "responseStatus", "responseRequested", "createdDateTime",
            "lastModifiedDateTime", "changeKey", "cancelledOccurrences");

    private final SandboxServer sandbox;
    private final HttpClient http;
    private String token;

    GraphSource(SandboxServer sandbox) {
        this.sandbox = sandbox;
        this.http = HttpClient.newBuilder().sslContext(sandbox.clientSslContext()).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private String token() throws IOException, InterruptedException {
        if (token == null) {
            String secret = Files.readString(sandbox.demoSecretFile()).strip();
            String form = "grant_type=client_credentials&client_id=" + enc(sandbox.demoApp().clientId()) + "&client_secret="
                    + enc(secret) + "&scope=" + enc("https://graph.microsoft.com/.default");
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(sandbox.authority() + "oauth2/v2.0/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("token endpoint answered " + r.statusCode() + ": " + r.body());
            }
            token = JSON.readTree(r.body()).path("access_token").asText();
        }
        return token;
    }

    JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
        String url = pathAndQuery.startsWith("https:") ? pathAndQuery : sandbox.graphBaseUrl() + pathAndQuery;
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token())
                .header("Prefer", "odata.maxpagesize=500").build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    Optional<byte[]> bytes(String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(sandbox.graphBaseUrl() + path))
                .header("Authorization", "Bearer " + token()).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + r.statusCode());
        }
        return Optional.of(r.body());
    }

    /** Every value of a collection, following nextLinks. */
    List<JsonNode> list(String pathAndQuery) throws IOException, InterruptedException {
        List<JsonNode> all = new ArrayList<>();
        String next = pathAndQuery;
        while (next != null) {
            JsonNode page = get(next);
            page.path("value").forEach(all::add);
            next = page.hasNonNull("@odata.nextLink") ? page.get("@odata.nextLink").asText() : null;
        }
        return all;
    }

    /**
     * The series masters and single events with an occurrence in [from, to) (the calendar view), by id: what a
     * windowed sync of the default calendar must hold.
     */
    List<String> itemIdsInWindow(String mailbox, LocalDate from, LocalDate to) throws IOException, InterruptedException {
        Instant start = from.atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant end = to.atStartOfDay().toInstant(ZoneOffset.UTC);
        Map<String, Boolean> ids = new LinkedHashMap<>();
        for (JsonNode occurrence : list("/users/" + enc(mailbox) + "/calendar/calendarView?startDateTime=" + start
                + "&endDateTime=" + end + "&$select=id,seriesMasterId,type")) {
            String master = occurrence.path("seriesMasterId").asText("");
            ids.put(master.isEmpty() ? occurrence.path("id").asText() : master, Boolean.TRUE);
        }
        return new ArrayList<>(ids.keySet());
    }

    /** An event with every compared property; a series master also with its exceptions and cancelled occurrences. */
    JsonNode event(String mailbox, String id) throws IOException, InterruptedException {
        return get("/users/" + enc(mailbox) + "/events/" + enc(id) + "?$select=" + EVENT_SELECT
                + "&$expand=exceptionOccurrences");
    }

    /** The contacts of the default folder (the one the contacts store syncs unless allFolders is set). */
    List<JsonNode> contacts(String mailbox) throws IOException, InterruptedException {
        return list("/users/" + enc(mailbox) + "/contactFolders/contacts/contacts?$top=500");
    }

    Optional<byte[]> photo(String mailbox, String contactId) throws IOException, InterruptedException {
        return bytes("/users/" + enc(mailbox) + "/contacts/" + enc(contactId) + "/photo/$value");
    }

    /** A call of the sandbox's admin API ({@code /_sandbox/...}, JSON, no authentication): edits as a user makes them. */
    JsonNode admin(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/_sandbox" + path))
                .header("Content-Type", "application/json").method(method, body).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " /_sandbox" + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
