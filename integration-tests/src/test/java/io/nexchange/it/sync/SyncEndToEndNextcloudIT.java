package io.nexchange.it.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nexchange.testing.dav.DavTestServer;
import io.nexchange.testing.nextcloud.NextcloudExtension;
import io.nexchange.testing.nextcloud.NextcloudServer;
import java.util.Map;
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
