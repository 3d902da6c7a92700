package io.nexchange.console.internal;

import static io.nexchange.ops.web.Page.escape;

import io.nexchange.engine.control.EngineView;
import io.nexchange.engine.control.MigrationView;
import io.nexchange.engine.control.ShadowView;
import io.nexchange.ops.web.OperatorRequest;
import io.nexchange.ops.web.Page;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code /migration}: the move between EWS and Graph. Per migration wave (the engine's {@code wave.NAME}) how many
 * mailboxes go through each backend at their next run, how many did not end OK and what their shadow reads found, with
 * the switch of a wave to either backend; a switch of any selector, the switches in force, the mailboxes automatic
 * routing moved, and the shadow reads (run one for a mailbox). Switches and shadow reads are actions
 * ({@link ActionsServlet}): confirmed, CSRF-protected, logged with who did them.
 */
@Component(service = Servlet.class, property = {
    "osgi.http.whiteboard.servlet.pattern=/migration",
    "osgi.http.whiteboard.servlet.name=nexchange-console-migration"
})
public final class MigrationServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient ConsoleServices console;

    @Activate
    public MigrationServlet(@Reference ConsoleServices console) {
        this.console = console;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String body;
        try {
            body = page(request);
        } catch (IllegalStateException e) {
            body = "<h1>Migration</h1><p class=\"error\" role=\"alert\">" + escape(e.getMessage()) + "</p>";
        }
        Page.send(response, 200, Page.render("Migration", OperatorRequest.operator(request), "", body));
    }

    private String page(HttpServletRequest request) {
        Instant now = Instant.now();
        EngineView engine = console.engine.view();
        MigrationView migration = console.engine.migration();
        MigrationSummary summary = new MigrationSummary(migration, engine.mailboxes());
        StringBuilder out = new StringBuilder(16384);
        out.append("<h1>Migration: EWS and Microsoft Graph</h1>");
        out.append(Html.notice(request));
        out.append("<p>Each mailbox is read through one Exchange backend. EWS and Graph read the same items under the same keys, "
                + "so moving a mailbox keeps its sync state: its next run reads it once in full through the new backend and "
                + "matches it by key, writing nothing for an item whose content is the same (no duplicates, no deletions).</p>");
        out.append("<div class=\"cards\">");
        summary.byBackend.forEach((backend, count) -> out.append("<div class=\"card\"><b id=\"next-").append(escape(backend))
                .append("\">").append(Html.number(count)).append("</b>next run through ").append(escape(backend)).append("</div>"));
        out.append("<div class=\"card\"><b>").append(escape(migration.backendsRunning().isEmpty() ? "none"
                : String.join(", ", new java.util.TreeSet<>(migration.backendsRunning())))).append("</b>backends running</div>")
                .append("<div class=\"card\"><b>").append(migration.automaticRouting() ? "on" : "off").append("</b>automatic routing</div>")
                .append("</div>");

        out.append("<h2>Waves</h2>");
        if (migration.waves().isEmpty()) {
            out.append("<p class=\"muted\">No migration wave is defined: define them in <code>etc/io.nexchange.engine.cfg</code> as "
                    + "<code>wave.1 = *@sales.example.org, bob@example.org</code> (applied live), then switch them one by one.</p>");
        }
        out.append("<table id=\"waves\"><thead><tr><th>Wave</th><th>Members</th><th class=\"num\">Mailboxes</th>");
        summary.backends.forEach(b -> out.append("<th class=\"num\">").append(escape(b)).append("</th>"));
        out.append("<th class=\"num\">Not OK</th><th class=\"num\">Shadow read / differ</th><th>Switch the wave</th></tr></thead><tbody>");
        for (MigrationSummary.Wave wave : summary.waves) {
            boolean none = wave.name().equals(MigrationSummary.NO_WAVE);
            out.append("<tr data-wave=\"").append(escape(wave.name())).append("\"><td>")
                    .append(none ? "<span class=\"muted\">in no wave</span>" : escape(wave.name())).append("</td><td>")
                    .append(escape(String.join(", ", wave.patterns())))
                    .append(wave.configuredBackend().isEmpty() ? "" : " <span class=\"muted\">(backend.wave: "
                            + escape(wave.configuredBackend()) + ")</span>")
                    .append("</td><td class=\"num\"><a href=\"").append(escape("/?wave=" + encode(wave.name()))).append("\">")
                    .append(Html.number(wave.mailboxes())).append("</a></td>");
            summary.backends.forEach(b -> {
                int n = wave.byBackend().getOrDefault(b, 0);
                out.append("<td class=\"num\" data-backend=\"").append(escape(b)).append("\">").append(n == 0 ? "0" : "<a href=\""
                        + escape("/?wave=" + encode(wave.name()) + "&backend=" + encode(b)) + "\">" + Html.number(n) + "</a>")
                        .append("</td>");
            });
            out.append("<td class=\"num\">").append(wave.notOk() == 0 ? "0" : "<span class=\"error\">" + wave.notOk() + "</span>")
                    .append("</td><td class=\"num\">").append(wave.shadowRead()).append(" / ").append(wave.shadowDiffering() == 0 ? "0"
                            : "<span class=\"error\">" + wave.shadowDiffering() + "</span>").append("</td><td><div class=\"actions\">");
            if (!none) {
                for (String backend : summary.backends) {
                    out.append(Html.actionButton(request, "switch", Map.of("selector", "--wave " + wave.name(), "backend", backend),
                            "to " + backend, "secondary"));
                }
            }
            out.append("</div></td></tr>");
        }
        out.append("</tbody></table>");
        if (!migration.groups().isEmpty()) {
            out.append("<p class=\"hint\">Groups: ");
            migration.groups().forEach(g -> out.append("<code>group.").append(escape(g.name())).append(" = ")
                    .append(escape(String.join(", ", g.patterns()))).append("</code>").append(g.backend().isEmpty() ? ""
                            : " (backend.group: " + escape(g.backend()) + ")").append("; "));
            out.append("a group keeps its backend whatever the waves do.</p>");
        }

        out.append("<h2>Switch</h2><form method=\"post\" action=\"/actions/switch\" class=\"filters\" id=\"switch-form\">")
                .append(Html.csrf(request))
                .append("<label>Mailboxes <input type=\"text\" name=\"selector\" id=\"switch-selector\" required "
                        + "placeholder=\"alice@example.org, --wave 1, --group legal, --domain example.org, --all\"></label>")
                .append("<label>to <select name=\"backend\" id=\"switch-backend\">");
        summary.backends.forEach(b -> out.append("<option>").append(escape(b)).append("</option>"));
        out.append("</select></label><button type=\"submit\">Switch…</button></form><p class=\"hint\">The same as "
                + "<code>nexchange:switch</code>: kept in the state database (every instance, and a restart, keep it), effective "
                + "at each mailbox's next run; the next page asks for confirmation.</p>");

        out.append("<h2>Switches in force</h2>");
        if (migration.switches().isEmpty()) {
            out.append("<p class=\"muted\" id=\"switches\">None: the configuration (<code>backend.*</code>) routes every mailbox. "
                    + "Rules: ").append(escape(migration.rules())).append(".</p>");
        } else {
            out.append("<table id=\"switches\"><thead><tr><th>When</th><th>Mailboxes</th><th>Backend</th></tr></thead><tbody>");
            migration.switches().forEach(s -> out.append("<tr><td>").append(Html.ago(java.util.Optional.of(s.at()), now))
                    .append("</td><td><code>").append(escape(s.selector())).append("</code></td><td>").append(escape(s.backend()))
                    .append("</td></tr>"));
            out.append("</tbody></table><p class=\"hint\">Oldest first; the latest that takes a mailbox in wins. Configured rules: ")
                    .append(escape(migration.rules())).append(".</p>");
        }

        out.append("<h2>Automatic routing</h2>");
        var automatic = migration.mailboxes().stream().filter(MigrationView.RouteView::automatic).toList();
        if (automatic.isEmpty()) {
            out.append("<p class=\"muted\">").append(migration.automaticRouting() ? "No mailbox was moved automatically: every "
                    + "mailbox is served by its configured backend." : "Off (routing.automatic = false).").append("</p>");
        } else {
            out.append("<table id=\"automatic\"><thead><tr><th>Mailbox</th><th>Now through</th><th>Why</th></tr></thead><tbody>");
            automatic.forEach(r -> out.append("<tr><td>").append(Html.mailboxLink(r.mailbox())).append("</td><td>")
                    .append(escape(r.backend())).append("</td><td>").append(escape(r.because())).append("</td></tr>"));
            out.append("</tbody></table>");
        }

        out.append("<h2 id=\"shadow\">Shadow reads</h2><p>The check before a cutover: a mailbox read in full through its backend "
                + "and through the other one, compared item by item and field by field; nothing is written. An item that differs "
                + "would be rewritten once in Nextcloud at the switch.</p>");
        out.append("<form method=\"post\" action=\"/actions/shadow\" class=\"filters\" id=\"shadow-form\">").append(Html.csrf(request))
                .append("<label>Mailbox <input type=\"text\" name=\"mailbox\" id=\"shadow-mailbox\" required "
                        + "placeholder=\"alice@example.org\"></label><button type=\"submit\">Shadow-read…</button></form>");
        if (migration.shadowReads().isEmpty()) {
            out.append("<p class=\"muted\" id=\"shadow-reads\">No shadow read yet (here, on a mailbox's page, or "
                    + "<code>nexchange:shadow MAILBOX</code>).</p>");
        } else {
            out.append("<table id=\"shadow-reads\"><thead><tr><th>Mailbox</th><th>When</th><th>Compared</th>"
                    + "<th class=\"num\">Items that differ</th><th>Summary</th></tr></thead><tbody>");
            for (ShadowView s : migration.shadowReads()) {
                out.append("<tr data-mailbox=\"").append(escape(s.mailbox())).append("\"><td>").append(Html.mailboxLink(s.mailbox()))
                        .append("</td><td>").append(Html.ago(java.util.Optional.of(s.at()), now)).append("</td><td>")
                        .append(escape(s.primary())).append(" vs ").append(escape(s.shadow())).append("</td><td class=\"num\">")
                        .append(s.differences() < 0 ? "<span class=\"error\">not compared</span>" : s.differences() == 0 ? "0"
                                : "<span class=\"error\">" + s.differences() + "</span>").append("</td><td>")
                        .append(escape(s.error().isEmpty() ? s.summary() : s.error())).append("</td></tr>");
            }
            out.append("</tbody></table><p class=\"hint\">Every difference is on the mailbox's page.</p>");
        }
        return out.toString();
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
