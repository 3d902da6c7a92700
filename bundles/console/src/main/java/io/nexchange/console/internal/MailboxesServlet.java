package io.nexchange.console.internal;

import static io.nexchange.ops.web.Page.escape;

import io.nexchange.engine.control.CycleView;
import io.nexchange.engine.control.EngineView;
import io.nexchange.api.state.ConflictRecord;
import io.nexchange.api.state.StateException;
import io.nexchange.engine.control.MailboxView;
import io.nexchange.engine.control.MigrationView;
import io.nexchange.engine.control.PairView;
import io.nexchange.engine.control.ShadowView;
import io.nexchange.ops.web.OperatorRequest;
import io.nexchange.ops.web.Page;
import io.nexchange.state.overview.MailboxSummary;
import io.nexchange.state.overview.PairSummary;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code /}: every mailbox with its state, backend, last sync, items and last error (search, filters, sort, pages) and
 * the running cycle's progress; {@code /mailboxes/ADDRESS}: one mailbox's pairs, cursors' age, errors, quarantine and
 * the actions on it.
 */
@Component(service = Servlet.class, property = {
    "osgi.http.whiteboard.servlet.pattern=/",
    "osgi.http.whiteboard.servlet.pattern=/mailboxes/*",
    "osgi.http.whiteboard.servlet.name=nexchange-console-mailboxes",
    "service.ranking:Integer=0"
})
public final class MailboxesServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final String SCRIPT = "/static/console/console.js";
    private final transient ConsoleServices console;

    @Activate
    public MailboxesServlet(@Reference ConsoleServices console) {
        this.console = console;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI();
        if (path.equals("/")) {
            Page.send(response, 200, list(request));
        } else if (path.startsWith("/mailboxes/") && request.getPathInfo() != null && request.getPathInfo().length() > 1) {
            String mailbox = request.getPathInfo().substring(1);
            Optional<MailboxView> view = console.engine.view().mailboxes().stream().filter(m -> m.mailbox().equals(mailbox)).findFirst();
            Optional<MailboxSummary> summary = console.summary(mailbox);
            if (view.isEmpty() && summary.map(s -> s.pairs().isEmpty()).orElse(true)) {
                Page.send(response, 404, Page.render("Unknown mailbox", OperatorRequest.operator(request), "",
                        "<h1>Unknown mailbox</h1><p>The engine has not run <code>" + escape(mailbox)
                                + "</code> and the state store holds nothing for it.</p><p><a href=\"/\">All mailboxes</a></p>"));
                return;
            }
            Page.send(response, 200, detail(request, mailbox, view, summary));
        } else {
            Page.send(response, 404, Page.render("Not found", OperatorRequest.operator(request), "",
                    "<h1>Not found</h1><p>No page at <code>" + escape(path) + "</code>. <a href=\"/\">All mailboxes</a></p>"));
        }
    }

    private String list(HttpServletRequest request) {
        Instant now = Instant.now();
        EngineView engine = console.engine.view();
        Map<String, MailboxSummary> summaries = console.summaries();
        Optional<MigrationView> migration = migration();
        Map<String, MigrationView.RouteView> routes = new TreeMap<>();
        migration.ifPresent(m -> m.mailboxes().forEach(r -> routes.put(r.mailbox(), r)));
        List<MailboxRow> rows = new ArrayList<>();
        for (MailboxView view : engine.mailboxes()) {
            rows.add(MailboxRow.of(view, Optional.ofNullable(summaries.get(view.mailbox())), Optional.ofNullable(routes.get(view.mailbox()))));
        }
        MailboxQuery query = MailboxQuery.parse(request.getParameterMap());
        List<MailboxRow> filtered = query.apply(rows);
        List<MailboxRow> page = query.pageOf(filtered);
        Map<String, Integer> byState = new TreeMap<>();
        rows.forEach(r -> byState.merge(r.state(), 1, Integer::sum));
        TreeSet<String> backends = new TreeSet<>();
        rows.forEach(r -> backends.add(r.backend()));

        StringBuilder out = new StringBuilder(8192 + page.size() * 400);
        out.append("<h1>Mailboxes</h1>");
        out.append(progress(engine.cycle(), now));
        out.append("<div class=\"cards\"><div class=\"card\"><b id=\"mailbox-count\">").append(Html.number(rows.size()))
                .append("</b>mailboxes</div>");
        byState.forEach((state, count) -> out.append("<div class=\"card\"><b>").append(Html.number(count)).append("</b><a href=\"")
                .append(escape(query.url(Map.of("state", state, "page", "")))).append("\">").append(escape(state)).append("</a></div>"));
        out.append("</div>");
        out.append("<div class=\"actions\">").append(Html.actionButton(request, "sync-all", Map.of(), "Sync all now", "secondary"))
                .append("</div>");

        out.append("<form class=\"filters\" method=\"get\" action=\"/\" role=\"search\">")
                .append("<label>Search <input type=\"search\" name=\"q\" id=\"search\" value=\"").append(escape(query.q()))
                .append("\" placeholder=\"address, state, error\"></label>")
                .append("<label>State <select name=\"state\" id=\"state-filter\"><option value=\"\">any</option>");
        for (String state : byState.keySet()) {
            out.append("<option").append(state.equals(query.state()) ? " selected" : "").append(">").append(escape(state)).append("</option>");
        }
        out.append("</select></label><label>Backend <select name=\"backend\" id=\"backend-filter\"><option value=\"\">any</option>");
        for (String backend : backends) {
            out.append("<option").append(backend.equals(query.backend()) ? " selected" : "").append(">").append(escape(backend))
                    .append("</option>");
        }
        out.append("</select></label><label>Wave <select name=\"wave\" id=\"wave-filter\"><option value=\"\">any</option>");
        List<String> waves = new ArrayList<>();
        migration.ifPresent(m -> m.waves().forEach(w -> waves.add(w.name())));
        waves.add(MigrationSummary.NO_WAVE);
        for (String wave : waves) {
            out.append("<option value=\"").append(escape(wave)).append("\"").append(wave.equals(query.wave()) ? " selected" : "")
                    .append(">").append(wave.equals(MigrationSummary.NO_WAVE) ? "in no wave" : escape(wave)).append("</option>");
        }
        out.append("</select></label><label>Per page <input type=\"number\" name=\"size\" min=\"10\" max=\"")
                .append(MailboxQuery.MAX_SIZE).append("\" value=\"").append(query.size()).append("\"></label>")
                .append("<input type=\"hidden\" name=\"sort\" value=\"").append(escape(query.sort())).append("\">")
                .append("<input type=\"hidden\" name=\"dir\" value=\"").append(query.descending() ? "desc" : "").append("\">")
                .append("<button type=\"submit\" id=\"apply-filters\">Apply</button>")
                .append("<a href=\"/\">Clear</a></form>");

        if (!engine.cycle().directoryError().isEmpty()) {
            out.append("<p class=\"error\" role=\"alert\">The mailbox list could not be read: ")
                    .append(escape(engine.cycle().directoryError())).append("</p>");
        }
        if (rows.isEmpty()) {
            out.append("<p class=\"notice\">No mailbox has been synced yet: the first cycle starts shortly after the engine, "
                    + "or use <b>Sync all now</b>.</p>");
        }
        out.append("<table id=\"mailboxes\"><thead><tr>");
        header(out, query, "mailbox", "Mailbox", false);
        header(out, query, "state", "State", false);
        header(out, query, "backend", "Backend", false);
        header(out, query, "wave", "Wave", false);
        header(out, query, "lastRun", "Last sync", false);
        header(out, query, "items", "Items", true);
        header(out, query, "written", "Written", true);
        header(out, query, "problem", "Last error / what to do", false);
        out.append("</tr></thead><tbody>");
        for (MailboxRow row : page) {
            out.append("<tr data-mailbox=\"").append(escape(row.mailbox())).append("\"><td>").append(Html.mailboxLink(row.mailbox()))
                    .append("</td><td>").append(Html.state(row.state())).append("</td><td>").append(escape(row.backend()))
                    .append(!row.nextBackend().isEmpty() && !row.nextBackend().equals(row.backend()) ? " <span class=\"muted\" "
                            + "title=\"switched: its next run reads through " + escape(row.nextBackend()) + "\">→ "
                            + escape(row.nextBackend()) + "</span>" : "")
                    .append("</td><td>").append(escape(String.join(", ", row.waves())))
                    .append("</td><td>").append(Html.ago(row.lastRun(), now)).append("</td><td class=\"num\">")
                    .append(row.items() < 0 ? "-" : Html.number(row.items())).append("</td><td class=\"num\">")
                    .append(Html.number(row.view().written())).append("</td><td>");
            String problem = row.problem();
            if (!problem.isEmpty()) {
                out.append("<span class=\"error\">").append(escape(problem)).append("</span>");
            } else if (Html.STATE_HINTS.containsKey(row.state())) {
                out.append("<span class=\"muted\">").append(escape(Html.STATE_HINTS.get(row.state()))).append("</span>");
            }
            out.append("</td></tr>");
        }
        out.append("</tbody></table>");
        int pages = query.pages(filtered.size());
        int current = Math.min(query.page(), pages);
        int first = filtered.isEmpty() ? 0 : (current - 1) * query.size() + 1;
        out.append("<div class=\"pager\"><span id=\"shown\">").append(Html.number(first)).append("–")
                .append(Html.number((long) first + page.size() - (filtered.isEmpty() ? 0 : 1))).append(" of ")
                .append(Html.number(filtered.size())).append(filtered.size() == rows.size() ? "" : " (filtered)").append("</span>");
        if (current > 1) {
            out.append("<a rel=\"prev\" href=\"").append(escape(query.url(Map.of("page", Integer.toString(current - 1))))).append("\">← previous</a>");
        }
        out.append("<span>page ").append(current).append(" of ").append(pages).append("</span>");
        if (current < pages) {
            out.append("<a rel=\"next\" href=\"").append(escape(query.url(Map.of("page", Integer.toString(current + 1))))).append("\">next →</a>");
        }
        out.append("</div>");
        return Page.render("Mailboxes", OperatorRequest.operator(request), SCRIPT, out.toString());
    }

    private static void header(StringBuilder out, MailboxQuery query, String sort, String label, boolean numeric) {
        boolean active = query.sort().equals(sort);
        String dir = active && !query.descending() ? "desc" : "";
        out.append("<th").append(numeric ? " class=\"num\"" : "").append(active ? " aria-sort=\"" + (query.descending()
                ? "descending" : "ascending") + "\"" : "").append("><a href=\"")
                .append(escape(query.url(Map.of("sort", sort, "dir", dir, "page", "")))).append("\">").append(escape(label))
                .append(active ? (query.descending() ? " ▼" : " ▲") : "").append("</a></th>");
    }

    /** The running cycle's progress (updated live by console.js), or the last cycle. */
    static String progress(CycleView cycle, Instant now) {
        StringBuilder out = new StringBuilder("<section class=\"notice\" id=\"progress\" data-running=\"")
                .append(cycle.running()).append("\">");
        if (cycle.running()) {
            out.append("<b>Cycle running:</b> <span id=\"progress-text\">").append(escape(progressText(cycle))).append("</span>")
                    .append("<br><progress id=\"progress-bar\" max=\"").append(Math.max(1, cycle.mailboxesTotal())).append("\" value=\"")
                    .append(cycle.mailboxesDone()).append("\"></progress>");
        } else {
            out.append("<span id=\"progress-text\">").append(cycle.lastFinished().map(t -> "Last cycle finished " + Html.age(t, now)
                    + " after " + Html.duration(cycle.lastDuration()) + ": " + cycle.mailboxesTotal() + " mailboxes, "
                    + Html.number(cycle.itemsWritten()) + " items written.").orElse("No cycle has finished yet.")).append("</span>");
        }
        return out.append("</section>").toString();
    }

    static String progressText(CycleView cycle) {
        return cycle.mailboxesDone() + "/" + cycle.mailboxesTotal() + " mailboxes, " + Html.number(cycle.itemsWritten())
                + " items written (" + String.format(java.util.Locale.ROOT, "%.1f", cycle.itemsPerSecond()) + " items/s)"
                + cycle.eta().map(e -> ", ETA " + Html.duration(e)).orElse("");
    }

    private String detail(HttpServletRequest request, String mailbox, Optional<MailboxView> view, Optional<MailboxSummary> summary) {
        Instant now = Instant.now();
        StringBuilder out = new StringBuilder(8192);
        String state = view.map(v -> v.running() ? "RUNNING" : v.state()).orElse("-");
        out.append("<p><a href=\"/\">← All mailboxes</a></p><h1 id=\"mailbox\" data-mailbox=\"").append(escape(mailbox))
                .append("\" data-running=\"").append(view.map(MailboxView::running).orElse(false)).append("\">")
                .append(escape(mailbox)).append(" <span id=\"mailbox-state\">").append(Html.state(state)).append("</span></h1>");
        out.append(Html.notice(request));
        view.ifPresent(v -> {
            out.append("<div class=\"cards\"><div class=\"card\"><b>").append(escape(v.backend().isEmpty() ? "-" : v.backend()))
                    .append("</b>Exchange backend</div><div class=\"card\"><b id=\"last-run\">").append(Html.ago(v.lastRun(), now))
                    .append("</b>last run</div><div class=\"card\"><b>").append(Html.ago(v.lastSuccess(), now))
                    .append("</b>last success</div><div class=\"card\"><b>").append(Html.number(v.read())).append(" / ")
                    .append(Html.number(v.written())).append("</b>read / written in the last run</div>")
                    .append(summary.map(s -> "<div class=\"card\"><b>" + Html.number(s.items()) + "</b>items in sync</div>").orElse(""))
                    .append("</div>");
            if (!v.error().isEmpty() || !v.alerts().isEmpty()) {
                out.append("<h2>Last error</h2>");
                v.alerts().forEach(a -> out.append("<p class=\"error\">").append(escape(a)).append("</p>"));
                if (!v.error().isEmpty()) {
                    out.append("<p class=\"error\" id=\"last-error\">").append(escape(v.error())).append("</p>");
                }
            }
            if (Html.STATE_HINTS.containsKey(v.state())) {
                out.append("<p class=\"hint\">").append(escape(Html.STATE_HINTS.get(v.state()))).append("</p>");
            }
        });
        out.append("<h2>Actions</h2><div class=\"actions\">")
                .append(Html.actionButton(request, "sync", Map.of("mailbox", mailbox), "Sync now", ""))
                .append(Html.actionButton(request, "sync", Map.of("mailbox", mailbox, "allowDeletions", "once"),
                        "Sync now, allowing deletions once", "danger"))
                .append("</div><p class=\"hint\">Each action asks for confirmation and is logged with your name.</p>");
        out.append(migration(request, mailbox));

        out.append("<h2>Pairs</h2><table id=\"pairs\"><thead><tr><th>Kind</th><th>Exchange collection</th><th>Nextcloud collection</th>"
                + "<th>Last outcome</th><th class=\"num\">Read</th><th class=\"num\">Written</th><th class=\"num\">Adopted</th>"
                + "<th class=\"num\">Conflicts</th><th class=\"num\">Left alone</th><th class=\"num\">Items stored</th>"
                + "<th>Cursors</th><th>Cursor age (last commit)</th></tr></thead><tbody>");
        Map<String, PairSummary> stored = new TreeMap<>();
        summary.ifPresent(s -> s.pairs().forEach(p -> stored.put(key(p.pair().kind().name(), p.pair().exchangeCollection(),
                p.pair().nextcloudCollection()), p)));
        List<PairView> pairs = view.map(MailboxView::pairs).orElse(List.of());
        for (PairView pair : pairs) {
            PairSummary s = stored.remove(key(pair.kind(), pair.exchangeCollection(), pair.nextcloudCollection()));
            out.append("<tr><td>").append(escape(pair.kind())).append("</td><td>").append(escape(pair.exchangeCollection()))
                    .append("</td><td>").append(escape(pair.nextcloudCollection())).append("</td><td>").append(Html.state(pair.outcome()))
                    .append("</td><td class=\"num\">").append(pair.read()).append("</td><td class=\"num\">").append(pair.written())
                    .append("</td><td class=\"num\">").append(pair.adopted()).append("</td><td class=\"num\">").append(pair.conflicts())
                    .append("</td><td class=\"num\">").append(pair.leftAlone()).append("</td>").append(storedCells(s, now)).append("</tr>");
        }
        for (PairSummary s : stored.values()) {
            out.append("<tr><td>").append(escape(s.pair().kind().name().toLowerCase(java.util.Locale.ROOT))).append("</td><td>")
                    .append(escape(s.pair().exchangeCollection())).append("</td><td>").append(escape(s.pair().nextcloudCollection()))
                    .append("</td><td class=\"muted\">not in the last run</td><td></td><td></td><td></td><td></td><td></td>")
                    .append(storedCells(s, now)).append("</tr>");
        }
        out.append("</tbody></table>");
        summary.flatMap(MailboxSummary::leaseInfo).ifPresent(l -> out.append("<p class=\"hint\">Lease: ").append(escape(l.holder()))
                .append(l.expiresAt().isAfter(now) ? ", held until " + Html.iso(l.expiresAt()) : ", expired (free)").append("</p>"));

        out.append("<h2>Recent errors</h2>");
        List<String> errors = new ArrayList<>();
        pairs.forEach(p -> p.errors().forEach(e -> errors.add(p.kind() + ": " + e)));
        pairs.stream().filter(p -> !p.alert().isEmpty()).forEach(p -> errors.add(p.kind() + ": " + p.alert()));
        if (errors.isEmpty()) {
            out.append("<p class=\"muted\">None in the last run.</p>");
        } else {
            out.append("<ul class=\"error\">");
            errors.stream().limit(100).forEach(e -> out.append("<li>").append(escape(e)).append("</li>"));
            out.append("</ul>");
        }
        out.append(conflicts(request, mailbox, pairs.stream().mapToInt(PairView::conflicts).sum()));
        out.append(quarantine(request, mailbox));
        return Page.render(mailbox, OperatorRequest.operator(request), SCRIPT, out.toString());
    }

    /** The engine's migration view, or empty when it cannot be read now (the state database failed). */
    private Optional<MigrationView> migration() {
        try {
            return Optional.of(console.engine.migration());
        } catch (IllegalStateException e) {
            return Optional.empty();
        }
    }

    /** The mailbox's backend for its next run and why, its waves, the switch to either backend, and its shadow read. */
    private String migration(HttpServletRequest request, String mailbox) {
        StringBuilder out = new StringBuilder("<h2 id=\"migration\">Exchange backend</h2>");
        Optional<MigrationView> migration = migration();
        if (migration.isEmpty()) {
            return out.append("<p class=\"muted\">The routing cannot be read now (the state database failed).</p>").toString();
        }
        Optional<MigrationView.RouteView> route = migration.get().mailboxes().stream().filter(r -> r.mailbox().equals(mailbox)).findFirst();
        route.ifPresent(r -> out.append("<p id=\"route\">Next run through <b id=\"next-backend\">").append(escape(r.backend()))
                .append("</b> (").append(escape(r.because())).append(")").append(r.waves().isEmpty() ? "" : "; wave "
                        + escape(String.join(", ", r.waves()))).append(r.groups().isEmpty() ? "" : "; group "
                        + escape(String.join(", ", r.groups()))).append(".</p>"));
        out.append("<div class=\"actions\">");
        java.util.TreeSet<String> backends = new java.util.TreeSet<>(migration.get().backendsRunning());
        route.ifPresent(r -> backends.add(r.backend()));
        for (String backend : backends) {
            if (route.map(r -> !r.backend().equals(backend)).orElse(true)) {
                out.append(Html.actionButton(request, "switch", Map.of("selector", mailbox, "backend", backend), "Switch to " + backend,
                        "secondary"));
            }
        }
        out.append(Html.actionButton(request, "shadow", Map.of("mailbox", mailbox), "Run a shadow read", "secondary"))
                .append("</div>");
        Optional<ShadowView> shadow = migration.get().shadowReads().stream().filter(s -> s.mailbox().equals(mailbox)).findFirst();
        out.append("<h3 id=\"shadow\">Shadow read</h3>");
        if (shadow.isEmpty()) {
            out.append("<p class=\"muted\" id=\"shadow-report\">None yet: it reads the mailbox through both backends and compares "
                    + "them item by item, writing nothing (the check before a switch).</p>");
        } else {
            out.append("<p class=\"hint\">").append(Html.ago(Optional.of(shadow.get().at()), Instant.now()))
                    .append(", nothing written:</p><pre id=\"shadow-report\" data-differences=\"").append(shadow.get().differences())
                    .append("\">").append(escape(shadow.get().report())).append("</pre>");
        }
        return out.append("<p class=\"hint\">All waves and switches: <a href=\"/migration\">Migration</a>.</p>").toString();
    }

    private static String storedCells(PairSummary s, Instant now) {
        if (s == null) {
            return "<td class=\"num\">-</td><td>-</td><td>-</td>";
        }
        return "<td class=\"num\">" + Html.number(s.items()) + "</td><td>" + escape(s.cursors().isEmpty() ? "none (next run reads in full)"
                : s.cursors().toString().toLowerCase(java.util.Locale.ROOT)) + "</td><td>" + Html.ago(s.lastCommit(), now) + "</td>";
    }

    private static String key(String kind, String exchange, String nextcloud) {
        return kind.toLowerCase(java.util.Locale.ROOT) + "\n" + exchange + "\n" + nextcloud;
    }

    /** How many of a mailbox's kept conflicts its page shows (the newest). */
    static final int CONFLICTS_SHOWN = 50;

    /**
     * The conflicts kept for this mailbox (both versions, in the state database), newest first: each with its lost version
     * viewable and, until it is restored, the action that writes it back.
     */
    private String conflicts(HttpServletRequest request, String mailbox, int inLastRun) {
        StringBuilder out = new StringBuilder("<h2>Conflicts</h2><p class=\"muted\">").append(inLastRun)
                .append(" conflict(s) resolved by the conflict policy in the last run.</p>");
        if (console.state == null) {
            return out.append("<p class=\"muted\" id=\"conflicts\">The state store is not running: kept conflicts cannot be shown.</p>")
                    .toString();
        }
        List<ConflictRecord> kept;
        try {
            kept = console.state.conflicts(mailbox, CONFLICTS_SHOWN);
        } catch (StateException e) {
            return out.append("<p class=\"error\" id=\"conflicts\">The kept conflicts could not be read: ").append(escape(e.getMessage()))
                    .append("</p>").toString();
        }
        if (kept.isEmpty()) {
            return out.append("<p class=\"muted\" id=\"conflicts\">No conflict of this mailbox is kept.</p>").toString();
        }
        out.append("<p>When both sides changed an item, the policy kept one version; the other is kept here and can be restored "
                + "(written back over the side that lost, then to the other side).</p><table id=\"conflicts\"><thead><tr><th>Id</th>"
                + "<th>Resolved</th><th>Kind</th><th>Item</th><th>Kept</th><th>Policy</th><th>Lost version</th><th>Restore</th>"
                + "</tr></thead><tbody>");
        Instant now = Instant.now();
        for (ConflictRecord c : kept) {
            out.append("<tr id=\"conflict-").append(c.id()).append("\"><td>").append(c.id()).append("</td><td>")
                    .append(Html.ago(Optional.of(c.at()), now)).append("</td><td>")
                    .append(escape(c.pair().kind().name().toLowerCase(java.util.Locale.ROOT))).append("</td><td>")
                    .append(escape(c.summary().isEmpty() ? c.key().value() : c.summary())).append("</td><td>")
                    .append(Html.side(c.winner())).append("</td><td>").append(escape(c.policy())).append("</td><td>")
                    .append(Html.lostVersion(c, false)).append("</td><td>");
            if (c.restore() == null) {
                out.append(Html.actionButton(request, "restore-conflict", Map.of("mailbox", mailbox, "conflict", String.valueOf(c.id())),
                        "Restore the lost version", "secondary"));
            } else if (c.restore().done()) {
                out.append("restored ").append(Html.ago(Optional.of(c.restore().doneAt()), now)).append(" (asked by ")
                        .append(escape(c.restore().requestedBy())).append(")");
            } else {
                out.append("asked by ").append(escape(c.restore().requestedBy())).append(", at the next run");
            }
            out.append("</td></tr>");
        }
        return out.append("</tbody></table>").toString();
    }

    /** Columns of the quarantine table, in this order (the engine's {@code quarantine} status data). */
    static final List<String> QUARANTINE_COLUMNS = List.of("kind", "side", "subject", "reason", "attempts", "held", "firstFailed",
            "lastFailed", "id");

    /**
     * The engine's per-item quarantine for this mailbox, from its {@code quarantine} status data
     * ({@code {count, mailboxes: {ADDRESS: {count, items: [...]}}}}), with the action that retries them.
     */
    private String quarantine(HttpServletRequest request, String mailbox) {
        StringBuilder out = new StringBuilder("<h2>Quarantine</h2>");
        Optional<Object> data = console.statusData("quarantine");
        if (data.isEmpty()) {
            return out.append("<p class=\"muted\" id=\"quarantine\">This engine does not quarantine single items (no "
                    + "<code>quarantine</code> status data is offered).</p>").toString();
        }
        List<Map<?, ?>> items = new ArrayList<>();
        if (data.get() instanceof Map<?, ?> all && all.get("mailboxes") instanceof Map<?, ?> byMailbox
                && byMailbox.get(mailbox) instanceof Map<?, ?> entry && entry.get("items") instanceof Collection<?> list) {
            list.stream().filter(Map.class::isInstance).map(i -> (Map<?, ?>) i).forEach(items::add);
        }
        if (items.isEmpty()) {
            return out.append("<p class=\"muted\" id=\"quarantine\">No item of this mailbox is quarantined.</p>").toString();
        }
        out.append("<p>Items held back after failing on their own (the rest of the mailbox syncs on); a new version of an item, "
                + "or a retry, tries it again.</p><table id=\"quarantine\"><thead><tr>");
        QUARANTINE_COLUMNS.forEach(c -> out.append("<th>").append(escape(c)).append("</th>"));
        out.append("</tr></thead><tbody>");
        for (Map<?, ?> item : items) {
            out.append("<tr>");
            QUARANTINE_COLUMNS.forEach(c -> out.append("<td>").append(escape(item.get(c) == null ? "" : item.get(c))).append("</td>"));
            out.append("</tr>");
        }
        out.append("</tbody></table><div class=\"actions\">")
                .append(Html.actionButton(request, "retry-quarantine", Map.of("mailbox", mailbox), "Retry the quarantined items", "secondary"))
                .append("</div>");
        return out.toString();
    }
}
