package io.nexchange.testing.nextcloud;

import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives tests a {@link NextcloudServer} parameter: ONE server per test JVM (installed and
 * started on first use, 4-8 s, stopped when the JVM's tests are done), shared by every class that asks for it; tests
 * keep apart by using their own users. Where the kit or PHP is missing the tests are skipped, and the reason is
 * printed to stderr in a banner, so that a run without {@code ../shared/nextcloud} says so instead of passing
 * quietly.
 *
 * <pre>{@code
 * @ExtendWith(NextcloudExtension.class)
 * class MyTest {
 *     @Test void works(NextcloudServer nextcloud) { nextcloud.addUser("alice"); ... }
 * }
 * }</pre>
 */
public final class NextcloudExtension implements ParameterResolver, ExecutionCondition {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(NextcloudExtension.class);

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<String> reason = NextcloudServer.unavailableReason();
        if (reason.isEmpty()) {
            return ConditionEvaluationResult.enabled("the Nextcloud kit is there");
        }
        String message = "NEXTCLOUD TESTS SKIPPED: " + reason.get();
        // once per JVM, loudly: a skipped real-server test must not look like a pass
        context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent("banner", key -> {
            String bar = "!".repeat(Math.min(120, message.length()));
            System.err.println(bar + "\n" + message + "\n" + bar);
            return Boolean.TRUE;
        });
        return ConditionEvaluationResult.disabled(message);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == NextcloudServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return server(context);
    }

    /** The JVM's shared server, started on first use. */
    public static NextcloudServer server(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("nextcloud", key -> new Running(NextcloudServer.start()), Running.class)
                .server;
    }

    /** Stops the server when JUnit closes the root store, at the end of the JVM's tests. */
    private record Running(NextcloudServer server) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            server.close();
        }
    }
}
