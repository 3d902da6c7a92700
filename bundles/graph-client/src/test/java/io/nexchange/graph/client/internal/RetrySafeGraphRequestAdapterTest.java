package io.nexchange.graph.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.graph.core.requests.BaseGraphRequestAdapter;
import com.microsoft.graph.models.Attendee;
import com.microsoft.graph.models.DateTimeTimeZone;
import com.microsoft.graph.models.EmailAddress;
import com.microsoft.graph.models.Event;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.RequestAdapter;
import com.microsoft.kiota.authentication.AnonymousAuthenticationProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/** A write GraphCall retries (429, 503) is built again from the same model: its body must be whole again. */
class RetrySafeGraphRequestAdapterTest {
    private static final String BASE = "https://graph.example.test/v1.0";

    @Test
    void aModelSentTwiceHasTheSameBodyBothTimes() throws IOException {
        GraphServiceClient graph = new GraphServiceClient(new RetrySafeGraphRequestAdapter(new AnonymousAuthenticationProvider(),
                LenientJson.parseNodeFactory(), new OkHttpClient(), BASE));
        Event event = event();
        String first = postBody(graph, event);
        String second = postBody(graph, event);
        assertTrue(first.contains("\"subject\":\"Budget review\"") && first.contains("carol@example.org"), first);
        assertEquals(first, second, "the retried request carries the same body");
    }

    /** What the SDK's own adapter does, which this adapter exists for: the second body is empty. */
    @Test
    void theSdksOwnAdapterSendsAnEmptyBodyTheSecondTime() throws IOException {
        GraphServiceClient graph = new GraphServiceClient(new BaseGraphRequestAdapter(new AnonymousAuthenticationProvider(),
                LenientJson.parseNodeFactory(), null, new OkHttpClient(), null, BASE));
        Event event = event();
        assertTrue(postBody(graph, event).contains("Budget review"));
        assertEquals("{}", postBody(graph, event));
    }

    private static String postBody(GraphServiceClient graph, Event event) throws IOException {
        var request = graph.users().byUserId("alice@example.org").events().toPostRequestInformation(event);
        return new String(request.content.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static Event event() {
        Event event = new Event();
        event.setSubject("Budget review");
        DateTimeTimeZone start = new DateTimeTimeZone();
        start.setDateTime("2027-01-12T10:00:00");
        start.setTimeZone("UTC");
        event.setStart(start);
        Attendee carol = new Attendee();
        EmailAddress address = new EmailAddress();
        address.setAddress("carol@example.org");
        carol.setEmailAddress(address);
        event.setAttendees(List.of(carol));
        return event;
    }
}
