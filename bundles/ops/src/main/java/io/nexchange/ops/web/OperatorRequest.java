package io.nexchange.ops.web;

import jakarta.servlet.http.HttpServletRequest;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The operator behind a request to the operator endpoint, as the ops bundle's security filter established it (a
 * login session, the operator token, or a browser on loopback when no login is required). Servlets of any bundle
 * registered on the endpoint read it here to log who did an action and to put the CSRF token into their forms.
 */
public final class OperatorRequest {
    /** Request attribute: who the operator is, for the log ("alice (token login from 10.0.0.5)"). */
    public static final String OPERATOR = "io.nexchange.ops.operator";
    /** Request attribute: the CSRF token of the operator's session; absent for token-authenticated API calls. */
    public static final String CSRF_TOKEN = "io.nexchange.ops.csrf";
    /** The form field (or header {@value #CSRF_HEADER}) that carries the CSRF token of a POST. */
    public static final String CSRF_FIELD = "csrf";
    public static final String CSRF_HEADER = "X-CSRF-Token";

    private OperatorRequest() {}

    /** Who made the request; "unknown" if the security filter did not run (it always does on the endpoint). */
    public static String operator(HttpServletRequest request) {
        Object who = request.getAttribute(OPERATOR);
        return who == null ? "unknown" : who.toString();
    }

    /** The session's CSRF token, to be sent back with every POST; empty for API clients using the token. */
    public static Optional<String> csrfToken(HttpServletRequest request) {
        Object token = request.getAttribute(CSRF_TOKEN);
        return Optional.ofNullable(token == null ? null : token.toString());
    }

    /** Whether two tokens are equal, in constant time. */
    public static boolean sameToken(String expected, String presented) {
        return expected != null && presented != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }
}
