package io.nexchange.sandbox.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nexchange.sandbox.SandboxOptions;
import io.nexchange.sandbox.SandboxServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Figures, not a test (not picked up by the default surefire includes): run with
 * {@code mvn -pl bundles/sandbox test -Dtest=SandboxBenchmark}.
 */
class SandboxBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void figures() throws Exception {
        long t0 = System.nanoTime();
        try (SandboxServer s = SandboxServer.start(SandboxOptions.defaults().users(100).seed(9))) {
            System.out.printf("BENCH start, 100 mailboxes x 40 events x 20 contacts: %.2f s%n", (System.nanoTime() - t0) / 1e9);
            String token = Clients.token(Clients.msalWithSecret(s, s.demoApp().clientId(), s.demoApp().clientSecret()));
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(Clients.trust(s).context()).build();
            String user = s.mailboxes().get(0);
            HttpRequest calendar = HttpRequest.newBuilder(URI.create(s.graphBaseUrl() + "/users/" + user + "/calendar"))
                    .header("Authorization", "Bearer " + token).build();
            for (int i = 0; i < 200; i++) {
                http.send(calendar, HttpResponse.BodyHandlers.ofString());
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < 2000; i++) {
                assertEquals(200, http.send(calendar, HttpResponse.BodyHandlers.ofString()).statusCode());
            }
            System.out.printf("BENCH sequential GET /calendar over one keep-alive TLS connection: %.0f req/s%n",
                    2000 / ((System.nanoTime() - t1) / 1e9));
        }
        try (SandboxServer s = SandboxServer.start(SandboxOptions.defaults().users(2).seed(9))) {
            String exchangeToken = Clients.msalWithSecret(s, s.demoApp().clientId(), s.demoApp().clientSecret()).acquireToken(
                    com.microsoft.aad.msal4j.ClientCredentialParameters.builder(java.util.Set.of("https://outlook.office365.com/.default"))
                            .build()).get().accessToken();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(Clients.trust(s).context()).build();
            String user = s.mailboxes().get(0);
            String getItem = EwsWireTest.envelope(user, "<m:GetItem><m:ItemShape><t:BaseShape>AllProperties</t:BaseShape></m:ItemShape>"
                    + "<m:ItemIds><t:ItemId Id=\"" + SandboxServer.ewsIdOf(s.eventIds(user).get(0)) + "\"/></m:ItemIds></m:GetItem>");
            HttpRequest request = HttpRequest.newBuilder(URI.create(s.ewsUrl())).header("Authorization", "Bearer " + exchangeToken)
                    .header("X-AnchorMailbox", user).header("Content-Type", "text/xml; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofString(getItem)).build();
            for (int i = 0; i < 200; i++) {
                http.send(request, HttpResponse.BodyHandlers.ofString());
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < 2000; i++) {
                assertEquals(200, http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode());
            }
            System.out.printf("BENCH sequential EWS GetItem (AllProperties) over one keep-alive TLS connection: %.0f req/s%n",
                    2000 / ((System.nanoTime() - t1) / 1e9));
        }
        try (SandboxServer big = SandboxServer.start(SandboxOptions.defaults().users(1).eventsPerMailbox(500).contactsPerMailbox(500).seed(9))) {
            String token = Clients.token(Clients.msalWithSecret(big, big.demoApp().clientId(), big.demoApp().clientSecret()));
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(Clients.trust(big).context()).build();
            String user = big.mailboxes().get(0);
            String first = big.graphBaseUrl() + "/users/" + user + "/calendarView/delta?startDateTime=2020-01-01T00:00:00Z&endDateTime=2040-01-01T00:00:00Z";
            String url = first;
            for (int round = 1; round <= 2; round++) {
                long t = System.nanoTime();
                int items = 0;
                int pages = 0;
                String deltaLink = null;
                while (url != null) {
                    JsonNode n = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                            .header("Prefer", "odata.maxpagesize=100").build(), HttpResponse.BodyHandlers.ofString()).body());
                    items += n.path("value").size();
                    pages++;
                    url = n.path("@odata.nextLink").asText(null);
                    deltaLink = n.path("@odata.deltaLink").asText(null);
                }
                System.out.printf("BENCH calendarView/delta round %d, 500 items over 20 years: %d entries in %d pages, %.2f s%n",
                        round, items, pages, (System.nanoTime() - t) / 1e9);
                url = deltaLink;
            }
        }
    }
}
