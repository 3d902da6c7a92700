package io.nexchange.console.internal;

import static io.nexchange.ops.web.Page.escape;

import io.nexchange.features.Feature;
import io.nexchange.ops.web.OperatorRequest;
import io.nexchange.ops.web.Page;
import io.nexchange.throttling.KeyStats;
import io.nexchange.throttling.RegistrationStats;
import io.nexchange.throttling.ThrottleMonitor;
import io.nexchange.throttling.ThrottleStats;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.osgi.framework.Bundle;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The console's read-only pages: {@code /throttling} (per app registration), {@code /runtime} (features and bundles),
 * {@code /audit} (the actions taken in the console).
 */
@Component(service = Servlet.class, property = {
    "osgi.http.whiteboard.servlet.pattern=/throttling",
    "osgi.http.whiteboard.servlet.pattern=/runtime",
    "osgi.http.whiteboard.servlet.pattern=/audit",
    "osgi.http.whiteboard.servlet.name=nexchange-console-pages"
})
public final class InfoPagesServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient ConsoleServices console;

    @Activate
    public InfoPagesServlet(@Reference ConsoleServices console) {
        this.console = console;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String operator = OperatorRequest.operator(request);
        switch (request.getRequestURI()) {
            case "/throttling" -> Page.send(response, 200, Page.render("Throttling", operator, "", throttling()));
            case "/runtime" -> Page.send(response, 200, Page.render("Features and bundles", operator, "", runtime()));
            default -> Page.send(response, 200, Page.render("Actions", operator, "", audit()));
        }
    }

    private String throttling() {
        ThrottleMonitor monitor = console.throttling;
        if (monitor == null) {
            return "<h1>Throttling</h1><p class=\"muted\">The throttling policy is not running.</p>";
        }
        ThrottleStats stats = monitor.snapshot();
        Instant now = Instant.now();
        StringBuilder out = new StringBuilder("<h1>Throttling per app registration</h1><p>Limits: ")
                .append(stats.limits().maxConcurrent()).append(" concurrent requests and ")
                .append(Html.number(stats.limits().effectiveBudget())).append(" of ")
                .append(Html.number(stats.limits().requestsPerWindow())).append(" requests per ")
                .append(stats.limits().windowSeconds()).append(" s window, per app registration and mailbox "
                        + "(<code>etc/io.nexchange.throttling.cfg</code>).</p>");
        out.append("<table id=\"registrations\"><thead><tr><th>App registration</th><th class=\"num\">Requests</th>"
                + "<th class=\"num\">Throttled (429/503)</th><th class=\"num\">Refused locally</th><th class=\"num\">Time waited</th>"
                + "<th class=\"num\">Mailboxes active</th><th class=\"num\">In flight</th><th class=\"num\">Paused</th></tr></thead><tbody>");
        for (RegistrationStats r : stats.registrations()) {
            out.append("<tr><td>").append(escape(r.registration())).append("</td><td class=\"num\">").append(Html.number(r.requests()))
                    .append("</td><td class=\"num\">").append(Html.number(r.throttled())).append("</td><td class=\"num\">")
                    .append(Html.number(r.refused())).append("</td><td class=\"num\">").append(Html.duration(r.waited()))
                    .append("</td><td class=\"num\">").append(r.activeKeys()).append("</td><td class=\"num\">").append(r.inFlight())
                    .append("</td><td class=\"num\">").append(r.pausedKeys()).append("</td></tr>");
        }
        if (stats.registrations().isEmpty()) {
            out.append("<tr><td colspan=\"8\" class=\"muted\">No request made yet.</td></tr>");
        }
        out.append("</tbody></table><h2>Throttled now</h2>");
        if (stats.throttledNow().isEmpty()) {
            out.append("<p class=\"muted\">Nobody is throttled now.</p>");
        } else {
            out.append("<table><thead><tr><th>App registration</th><th>Mailbox</th><th>Next request in</th>"
                    + "<th class=\"num\">Window requests</th></tr></thead><tbody>");
            for (KeyStats k : stats.throttledNow()) {
                out.append("<tr><td>").append(escape(k.key().registration())).append("</td><td>").append(escape(k.key().mailbox()))
                        .append("</td><td>").append(Html.duration(k.nextAdmission())).append("</td><td class=\"num\">")
                        .append(k.windowRequests()).append(" / ").append(k.windowBudget()).append("</td></tr>");
            }
            out.append("</tbody></table>");
        }
        out.append("<p class=\"hint\">As of ").append(Html.iso(stats.takenAt())).append(" (").append(Html.age(stats.takenAt(), now))
                .append(").</p>");
        return out.toString();
    }

    private String runtime() {
        Set<String> installed = console.features.installed();
        StringBuilder out = new StringBuilder("<h1>Features</h1><table id=\"features\"><thead><tr><th>Feature</th><th>Installed</th>"
                + "<th>What</th></tr></thead><tbody>");
        for (Feature feature : console.features.available()) {
            out.append("<tr><td>").append(escape(feature.name())).append("</td><td>").append(installed.contains(feature.name())
                    ? "yes" : "<span class=\"muted\">no</span>").append("</td><td>").append(escape(feature.description())).append("</td></tr>");
        }
        out.append("</tbody></table><p class=\"hint\">Install or remove a feature with <code>bin/nexchange exec 'nexchange:features "
                + "install NAME'</code>.</p>");
        List<String> problems = console.features.problems();
        if (!problems.isEmpty()) {
            out.append("<ul class=\"error\">");
            problems.forEach(p -> out.append("<li>").append(escape(p)).append("</li>"));
            out.append("</ul>");
        }
        out.append("<h1>Bundles</h1><table id=\"bundles\"><thead><tr><th class=\"num\">Id</th><th>Bundle</th><th>Version</th>"
                + "<th>State</th></tr></thead><tbody>");
        for (Bundle bundle : console.context.getBundles()) {
            String state = switch (bundle.getState()) {
                case Bundle.ACTIVE -> "ACTIVE";
                case Bundle.RESOLVED -> "RESOLVED";
                case Bundle.INSTALLED -> "INSTALLED";
                case Bundle.STARTING -> "STARTING";
                case Bundle.STOPPING -> "STOPPING";
                default -> "UNINSTALLED";
            };
            out.append("<tr><td class=\"num\">").append(bundle.getBundleId()).append("</td><td>").append(escape(bundle.getSymbolicName()))
                    .append("</td><td>").append(escape(bundle.getVersion())).append("</td><td>")
                    .append(state.equals("ACTIVE") || bundle.getHeaders().get("Fragment-Host") != null ? escape(state)
                            : "<span class=\"error\">" + state + "</span>").append("</td></tr>");
        }
        return out.append("</tbody></table>").toString();
    }

    private String audit() {
        Instant now = Instant.now();
        StringBuilder out = new StringBuilder("<h1>Actions taken in the console</h1><p class=\"hint\">Since the last start, newest "
                + "first (each is also in the log: <code>Console action by ...</code>).</p><table id=\"audit\"><thead><tr><th>When</th>"
                + "<th>Who</th><th>Action</th><th>On</th><th>Outcome</th></tr></thead><tbody>");
        List<ActionLog.Entry> entries = console.actions.recent();
        for (ActionLog.Entry e : entries) {
            out.append("<tr><td>").append(Html.ago(java.util.Optional.of(e.at), now)).append("</td><td>").append(escape(e.operator))
                    .append("</td><td>").append(escape(e.action)).append("</td><td>").append(escape(e.target)).append("</td><td>")
                    .append(escape(e.outcome())).append("</td></tr>");
        }
        if (entries.isEmpty()) {
            out.append("<tr><td colspan=\"5\" class=\"muted\">No action yet.</td></tr>");
        }
        return out.append("</tbody></table>").toString();
    }
}
