package io.nexchange.ops.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LoginPolicyTest {
    @Test
    void onlyLoopbackGoesWithoutLogin() {
        assertTrue(LoginPolicy.isLoopback("127.0.0.1"));
        assertTrue(LoginPolicy.isLoopback("::1"));
        assertTrue(LoginPolicy.isLoopback("localhost"));
        assertFalse(LoginPolicy.isLoopback("0.0.0.0"), "every address");
        assertFalse(LoginPolicy.isLoopback("192.0.2.10"));
        assertFalse(LoginPolicy.isLoopback("no-such-host.invalid"), "unresolvable counts as exposed");
    }

    @Test
    void theLoginRedirectStaysOnThisEndpoint() {
        assertEquals("/mailboxes/alice%40example.org?x=1", LoginServlet.safeNext("/mailboxes/alice%40example.org?x=1"));
        assertEquals("/", LoginServlet.safeNext("https://evil.example/"));
        assertEquals("/", LoginServlet.safeNext("//evil.example/"));
        assertEquals("/", LoginServlet.safeNext("/\\evil.example"));
        assertEquals("/", LoginServlet.safeNext(null));
        assertEquals("/", LoginServlet.safeNext("/login?next=/x"));
    }

    @Test
    void theTokenMatchesOnlyItselfIgnoringTheNewlineOfItsFile() {
        OperatorToken token = new OperatorToken("s3cret-token".getBytes(StandardCharsets.UTF_8));
        assertTrue(token.matches("s3cret-token"));
        assertTrue(token.matches("s3cret-token\n"));
        assertFalse(token.matches("s3cret-toke"));
        assertFalse(token.matches(""));
        assertFalse(token.matches(null));
    }
}
