package io.nexchange.ops.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nexchange.features.FeatureService;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

/** {@code /health}, {@code /health/live} (liveness) and {@code /health/ready} (readiness, 503 with the problems). */
@Component(service = Servlet.class, property = {
    "osgi.http.whiteboard.servlet.pattern=/health",
    "osgi.http.whiteboard.servlet.pattern=/health/*",
    "osgi.http.whiteboard.servlet.name=nexchange-health"
})
public final class HealthServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient StatusReport status;
    private final transient ObjectMapper json = new ObjectMapper();

    @Activate
    public HealthServlet(BundleContext context, @Reference ServiceComponentRuntime scr, @Reference FeatureService features) {
        this.status = new StatusReport(context, scr, Optional.of(features));
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI();
        if (path.equals("/health") || path.equals("/health/live")) {
            Http.send(response, 200, "application/json", "{\"status\":\"UP\"}\n");
        } else if (path.equals("/health/ready")) {
            List<String> problems = status.problems();
            String body = json.writeValueAsString(Map.of("status", problems.isEmpty() ? "UP" : "DOWN", "problems", problems));
            Http.send(response, problems.isEmpty() ? 200 : 503, "application/json", body + "\n");
        } else {
            Http.send(response, 404, "text/plain", "not found\n");
        }
    }
}
