package io.nexchange.it.sync;

import io.nexchange.testing.dav.DavTestServer;
import io.nexchange.testing.nextcloud.NextcloudExtension;
import io.nexchange.testing.nextcloud.NextcloudServer;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two-way identity and random edits ({@link TwoWaySync}) against a real Nextcloud (the kit in ../shared/nextcloud;
 * skipped, loudly, without it): 30 edits, as every Nextcloud request costs a PHP run.
 */
@ExtendWith(NextcloudExtension.class)
class TwoWayIdentityNextcloudIT extends TwoWaySync {
    @Override
    DavTestServer startServer() {
        return NextcloudServer.start();
    }

    @Override
    int edits() {
        return Integer.getInteger("twoWay.nextcloud.edits", 30);
    }
}
