package io.nexchange.ops.internal;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code /metrics}: every meter of the shared registry in Prometheus text format. */
@Component(service = Servlet.class, property = {
    "osgi.http.whiteboard.servlet.pattern=/metrics",
    "osgi.http.whiteboard.servlet.name=nexchange-metrics"
})
public final class MetricsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient MetricsComponent metrics;

    @Activate
    public MetricsServlet(@Reference MetricsComponent metrics) {
        this.metrics = metrics;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Http.send(response, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
    }
}
