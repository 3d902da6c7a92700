package io.nexchange.it.sync;

import io.nexchange.testing.dav.DavTestServer;
import io.nexchange.testing.radicale.RadicaleServer;

/** The crash test ({@link CrashedSync}) against Radicale. */
class SyncCrashIT extends CrashedSync {
    @Override
    DavTestServer startServer() {
        return RadicaleServer.start(RadicaleServer.PasswordEncryption.PLAIN);
    }
}
