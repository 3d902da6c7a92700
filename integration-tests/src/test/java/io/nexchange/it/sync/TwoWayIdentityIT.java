package io.nexchange.it.sync;

import io.nexchange.testing.dav.DavTestServer;
import io.nexchange.testing.radicale.RadicaleServer;

/** Two-way identity and 100 random edits ({@link TwoWaySync}) against Radicale. */
class TwoWayIdentityIT extends TwoWaySync {
    @Override
    DavTestServer startServer() {
        return RadicaleServer.start(RadicaleServer.PasswordEncryption.PLAIN);
    }

    @Override
    int edits() {
        return Integer.getInteger("twoWay.edits", 100);
    }
}
