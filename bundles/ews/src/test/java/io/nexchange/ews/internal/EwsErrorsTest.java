package io.nexchange.ews.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.source.ItemRejectedException;
import io.nexchange.api.source.StoreException;
import io.nexchange.ews.internal.soap.SafeXmlReader;
import io.nexchange.ews.internal.soap.XmlElement;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EwsErrorsTest {
    private static XmlElement message(String code) throws Exception {
        return new SafeXmlReader(1000).read(("<m:CreateItemResponseMessage ResponseClass=\"Error\" xmlns:m=\"urn:m\">"
                + "<m:MessageText>The recurrence pattern is invalid.</m:MessageText><m:ResponseCode>" + code
                + "</m:ResponseCode></m:CreateItemResponseMessage>").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aRefusalOfTheItemsContentIsTheItemsNotTheMailboxs() throws Exception {
        StoreException refused = EwsErrors.of(null, "alice@example.org", "creating an event", message("ErrorCalendarInvalidRecurrence"));
        assertInstanceOf(ItemRejectedException.class, refused);
        assertTrue(refused.getMessage().contains("ErrorCalendarInvalidRecurrence") && refused.getMessage().contains("alice@example.org"),
                refused.getMessage());
        assertFalse(refused.isTransient());
        StoreException busy = EwsErrors.of(null, "alice@example.org", "creating an event", message("ErrorMailboxStoreUnavailable"));
        assertFalse(busy instanceof ItemRejectedException);
        assertTrue(busy.isTransient());
    }
}
