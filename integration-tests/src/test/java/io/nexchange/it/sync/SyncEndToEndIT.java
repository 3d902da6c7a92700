package io.nexchange.it.sync;

import io.nexchange.testing.dav.DavTestServer;
import io.nexchange.testing.radicale.RadicaleServer;

/** The end-to-end sync ({@link EndToEndSync}) into a real Radicale. */
class SyncEndToEndIT extends EndToEndSync {
    @Override
    DavTestServer startServer() {
        return RadicaleServer.start(RadicaleServer.PasswordEncryption.PLAIN);
    }
}
