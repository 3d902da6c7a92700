package io.nexchange.it.sync;

import io.nexchange.testing.dav.DavTestServer;
import io.nexchange.testing.nextcloud.NextcloudExtension;
import io.nexchange.testing.nextcloud.NextcloudServer;
import org.junit.jupiter.api.extension.ExtendWith;

/** The crash test ({@link CrashedSync}) against two real Nextcloud servers (skipped, loudly, without the kit). */
@ExtendWith(NextcloudExtension.class)
class SyncCrashNextcloudIT extends CrashedSync {
    @Override
    DavTestServer startServer() {
        return NextcloudServer.start();
    }
}
