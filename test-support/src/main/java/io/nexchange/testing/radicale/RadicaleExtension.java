package io.nexchange.testing.radicale;

import io.nexchange.testing.dav.DavTestServer;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives test methods and constructors a {@link RadicaleServer} (or {@link DavTestServer}) parameter: one
 * server per test class (started on first use, stopped when the class is done), so a class's tests
 * share it and keep apart by using their own users or collections.
 *
 * <pre>{@code
 * @ExtendWith(RadicaleExtension.class)
 * class MyTest {
 *     @Test void works(RadicaleServer radicale) { radicale.addUser("alice", "pw"); ... }
 * }
 * }</pre>
 */
public final class RadicaleExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RadicaleExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == RadicaleServer.class || type == DavTestServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext classContext = context.getTestClass().isPresent() && context.getTestMethod().isPresent()
                ? context.getParent().orElse(context) : context;
        return classContext.getStore(NAMESPACE)
                .getOrComputeIfAbsent("radicale", key -> new Running(RadicaleServer.start()), Running.class)
                .server;
    }

    /** Closes the server when JUnit closes the class's store. */
    private record Running(RadicaleServer server) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            server.close();
        }
    }
}
