package io.nexchange.it.sync;

import io.nexchange.testing.dav.DavTestServer;
import io.nexchange.testing.nextcloud.NextcloudExtension;
import io.nexchange.testing.nextcloud.NextcloudServer;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 12's live switch ({@link BackendSwitchLive}) into the real Nextcloud 32 (the kit in ../shared/nextcloud; skipped,
 * loudly, without it): EWS only, the graph feature installed live, a wave then every mailbox switched to Graph, the
 * hybrid routes (Graph refuses an on-premises mailbox, the on-premises EWS serves it, and back), with edits flowing and
 * the PUT/DELETE count of each step from Nextcloud's access log. The steps that only exercise the runtime (the ews
 * feature removed, the shadow read, an EWS-blocked mailbox) run against Radicale in {@link BackendSwitchLiveIT}.
 */
@ExtendWith(NextcloudExtension.class)
class BackendSwitchLiveNextcloudIT extends BackendSwitchLive {
    @Override
    DavTestServer startServer() {
        return NextcloudServer.start();
    }

    @Override
    boolean everyStep() {
        return false;
    }

    /** Every account's example event and card are still there, untouched (one-way: left alone), and then left out. */
    @Override
    DavContent syncedContent() throws Exception {
        return DavContent.of(dav).withoutExampleItems();
    }
}
