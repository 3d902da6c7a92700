package io.nexchange.sandbox.internal.graph;

import io.nexchange.sandbox.internal.entra.Principal;
import io.nexchange.sandbox.internal.http.Req;
import io.nexchange.sandbox.internal.store.Mailbox;
import io.nexchange.sandbox.internal.store.User;
import java.util.List;

/** One Graph request after authentication: who asks, for which mailbox, the path below the user. */
record Ctx(Req req, Principal principal, User user, Mailbox mailbox, List<String> rest, Prefer prefer) {
    String method() {
        return req.method;
    }

    boolean isRead() {
        return "GET".equals(req.method);
    }
}
