package io.nexchange.ops.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.nexchange.features.FeatureService;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

/** {@code /status} (JSON) and {@code /status.txt}: runtime, features, bundles, readiness and the bundles' sections. */
@Component(service = Servlet.class, property = {
    "osgi.http.whiteboard.servlet.pattern=/status",
    "osgi.http.whiteboard.servlet.pattern=/status.txt",
    "osgi.http.whiteboard.servlet.name=nexchange-status"
})
public final class StatusServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient StatusReport status;
    private final transient ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Activate
    public StatusServlet(BundleContext context, @Reference ServiceComponentRuntime scr, @Reference FeatureService features) {
        this.status = new StatusReport(context, scr, Optional.of(features));
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getRequestURI().equals("/status.txt")) {
            Http.send(response, 200, "text/plain; charset=utf-8", status.toText());
        } else {
            Http.send(response, 200, "application/json", json.writeValueAsString(status.toMap()) + "\n");
        }
    }
}
