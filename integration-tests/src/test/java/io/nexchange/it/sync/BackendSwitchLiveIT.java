package io.nexchange.it.sync;

import io.nexchange.testing.dav.DavTestServer;
import io.nexchange.testing.radicale.RadicaleServer;

/** Issue 12's live switch ({@link BackendSwitchLive}) into Radicale: every step. */
class BackendSwitchLiveIT extends BackendSwitchLive {
    @Override
    DavTestServer startServer() {
        return RadicaleServer.start(RadicaleServer.PasswordEncryption.PLAIN);
    }
}
