package io.nexchange.console.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nexchange.engine.control.CycleView;
import io.nexchange.engine.control.MailboxView;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * What the console's script polls: {@code /api/progress} (the cycle) and {@code /api/mailbox?m=ADDRESS} (one mailbox's
 * state and last run), as small JSON documents.
 */
@Component(service = Servlet.class, property = {
    "osgi.http.whiteboard.servlet.pattern=/api/*",
    "osgi.http.whiteboard.servlet.name=nexchange-console-api"
})
public final class ApiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient ConsoleServices console;
    private final transient ObjectMapper json = new ObjectMapper();

    @Activate
    public ApiServlet(@Reference ConsoleServices console) {
        this.console = console;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        if (path.equals("/progress")) {
            CycleView cycle = console.engine.view().cycle();
            body.put("running", cycle.running());
            body.put("done", cycle.mailboxesDone());
            body.put("total", cycle.mailboxesTotal());
            body.put("itemsWritten", cycle.itemsWritten());
            body.put("text", cycle.running() ? MailboxesServlet.progressText(cycle) : "");
        } else if (path.equals("/mailbox")) {
            String wanted = String.valueOf(request.getParameter("m"));
            Optional<MailboxView> view = console.engine.view().mailboxes().stream().filter(m -> m.mailbox().equals(wanted)).findFirst();
            if (view.isEmpty()) {
                response.sendError(404, "unknown mailbox");
                return;
            }
            body.put("mailbox", wanted);
            body.put("running", view.get().running());
            body.put("state", view.get().running() ? "RUNNING" : view.get().state());
            body.put("lastRun", view.get().lastRun().map(Html::iso).orElse(null));
        } else {
            response.sendError(404);
            return;
        }
        byte[] bytes = json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
