package io.nexchange.ops.internal;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code POST /console}: runs one console command (the body) and answers its output; needs the operator token in
 * {@code X-Nexchange-Token} ({@code bin/nexchange exec} sends it), whatever the login policy.
 */
@Component(service = Servlet.class, property = {
    "osgi.http.whiteboard.servlet.pattern=/console",
    "osgi.http.whiteboard.servlet.name=nexchange-remote-console"
})
public final class RemoteConsoleServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient RemoteConsole console;
    private final transient OperatorToken token;

    @Activate
    public RemoteConsoleServlet(@Reference RemoteConsole console, @Reference OperatorToken token) {
        this.console = console;
        this.token = token;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Http.send(response, 405, "text/plain", "POST a console command\n");
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!token.matches(request.getHeader("X-Nexchange-Token"))) {
            Http.send(response, 401, "text/plain", "missing or wrong X-Nexchange-Token (the token is in the runtime's data/ops.token)\n");
            return;
        }
        String command = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        // the ops token is what bin/nexchange exec sends: whoever may read the instance's data/ops.token
        String who = io.nexchange.ops.web.OperatorRequest.operator(request);
        RemoteConsole.Result result = console.execute(command, "unknown".equals(who) ? "ops token (bin/nexchange exec)" : who);
        Http.send(response, result.ok() ? 200 : 500, "text/plain; charset=utf-8", result.output());
    }
}
