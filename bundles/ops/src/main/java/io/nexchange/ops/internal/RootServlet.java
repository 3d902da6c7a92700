package io.nexchange.ops.internal;

import io.nexchange.ops.web.OperatorRequest;
import io.nexchange.ops.web.Page;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.osgi.service.component.annotations.Component;

/**
 * What {@code /} answers while no bundle offers a console there (the console feature registers its own servlet for
 * {@code /} with a higher ranking): where to find the endpoints and how to install the web console.
 */
@Component(service = Servlet.class, property = {
    "osgi.http.whiteboard.servlet.pattern=/",
    "osgi.http.whiteboard.servlet.name=nexchange-root",
    "service.ranking:Integer=-100"
})
public final class RootServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!request.getRequestURI().equals("/")) {
            Page.send(response, 404, Page.render("Not found", OperatorRequest.operator(request), "",
                    "<h1>Not found</h1><p>No page at <code>" + Page.escape(request.getRequestURI()) + "</code>.</p>"));
            return;
        }
        Page.send(response, 200, Page.render("Operator endpoint", OperatorRequest.operator(request), "",
                "<h1>Operator endpoint</h1><p>The web console is not installed: <code>bin/nexchange exec 'nexchange:features "
                        + "install console'</code>.</p><ul><li><a href=\"/status.txt\">/status.txt</a></li>"
                        + "<li><a href=\"/health/ready\">/health/ready</a></li><li><a href=\"/metrics\">/metrics</a></li></ul>"));
    }
}
