package io.nexchange.it.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.testing.dav.DavTestServer;
import io.nexchange.testing.nextcloud.NextcloudExtension;
import io.nexchange.testing.nextcloud.NextcloudServer;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The end-to-end sync ({@link EndToEndSync}) into a real Nextcloud 32 (the kit in ../shared/nextcloud; skipped, loudly,
 * without it). The accounts own their mailboxes' addresses, so Nextcloud's own scheduling would copy every invitation
 * between them unless the events carry SCHEDULE-AGENT=CLIENT (a copy would show up as an item not in the source).
 */
@ExtendWith(NextcloudExtension.class)
class SyncEndToEndNextcloudIT extends EndToEndSync {
    @Override
    DavTestServer startServer() {
        return NextcloudServer.start();
    }

    /**
     * Nextcloud's own scheduling sent nothing for what sync wrote: no iMIP invitation (none recorded in
     * {@code oc_calendar_invitations}) and no SCHEDULE-STATUS on any stored attendee, although the accounts own the
     * organizers' addresses of the meetings written into them (SCHEDULE-AGENT=CLIENT leaves scheduling to the client).
     */
    @Test
    @Order(20)
    void nextcloudSentNoInvitationForTheSyncedMeetings() {
        NextcloudServer nextcloud = (NextcloudServer) dav;
        long meetings = 0;
        for (Map<String, Map<String, String>> collections : nextcloud.storedItems().values()) {
            for (Map<String, String> items : collections.values()) {
                for (String text : items.values()) {
                    String unfolded = text.replace("\r\n ", "");
                    meetings += unfolded.contains("ATTENDEE") ? 1 : 0;
                    assertTrue(!unfolded.contains("SCHEDULE-STATUS"), "Nextcloud scheduled a synced event: " + unfolded);
                }
            }
        }
        assertTrue(meetings > 0, "meetings with attendees were synced into Nextcloud");
        assertEquals(0, nextcloud.invitationsSent(), "Nextcloud sent no iMIP invitation for the " + meetings + " synced meetings");
        System.out.println("Nextcloud iMIP invitations for " + meetings + " synced meetings: " + nextcloud.invitationsSent());
    }

    /** Every account's example event and card are still there, untouched (one-way: left alone), and then left out. */
    @Override
    DavContent syncedContent() throws Exception {
        DavContent content = DavContent.of(dav);
        Map<String, Map<String, String>> examples = content.exampleItems();
        for (String mailbox : mailboxes) {
            String user = SyncRig.account(mailbox);
            assertEquals(2, examples.getOrDefault(user, Map.of()).size(),
                    "the example event and card of " + user + " are left alone: " + examples.getOrDefault(user, Map.of()).keySet());
        }
        return content.withoutExampleItems();
    }
}
