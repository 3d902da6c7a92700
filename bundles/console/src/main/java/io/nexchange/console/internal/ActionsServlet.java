package io.nexchange.console.internal;

import static io.nexchange.ops.web.Page.escape;

import io.nexchange.api.state.ConflictRecord;
import io.nexchange.api.state.StateException;
import io.nexchange.engine.control.MailboxView;
import io.nexchange.engine.control.MigrationView;
import io.nexchange.engine.control.ShadowView;
import io.nexchange.engine.control.SwitchOutcome;
import io.nexchange.ops.web.OperatorRequest;
import io.nexchange.ops.web.Page;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's actions, each a POST (the security filter has checked its CSRF token): the first POST answers a
 * confirmation page, the confirmed one ({@code confirm=yes}) acts, logs who did it (log and the Actions page) and
 * sends the browser back to the page it came from.
 * <ul>
 * <li>{@code /actions/sync} ({@code mailbox}, {@code allowDeletions=once}): sync one mailbox now, optionally letting the
 * mass-deletion guard pass for that run;</li>
 * <li>{@code /actions/sync-all}: a cycle over every mailbox now;</li>
 * <li>{@code /actions/retry-quarantine} ({@code mailbox}): release the mailbox's quarantined items and sync it;</li>
 * <li>{@code /actions/switch} ({@code selector}: a mailbox, {@code --wave W}, {@code --group G}, {@code --domain D} or
 * {@code --all}; {@code backend}; {@code then=sync} to sync the mailboxes taken in at once): move mailboxes to another
 * Exchange backend, as {@code nexchange:switch} does;</li>
 * <li>{@code /actions/shadow} ({@code mailbox}): a shadow read of the mailbox, as {@code nexchange:shadow} does;</li>
 * <li>{@code /actions/restore-conflict} ({@code mailbox}, {@code conflict}): write a conflict's losing version back (recorded
 * with who asked; the engine writes it at the mailbox's run, started now).</li>
 * </ul>
 */
@Component(service = Servlet.class, property = {
    "osgi.http.whiteboard.servlet.pattern=/actions/*",
    "osgi.http.whiteboard.servlet.name=nexchange-console-actions"
})
public final class ActionsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ActionsServlet.class);
    /** How long the confirmed action waits for a quick result before the page shows it running. */
    static final long WAIT_SECONDS = 3;
    /** A shadow read is two full listings of the mailbox: it gets longer before the page says it still runs. */
    static final long SHADOW_WAIT_SECONDS = 15;

    private final transient ConsoleServices console;

    @Activate
    public ActionsServlet(@Reference ConsoleServices console) {
        this.console = console;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.sendRedirect("/");
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String action = request.getPathInfo() == null ? "" : request.getPathInfo();
        String mailbox = request.getParameter("mailbox") == null ? "" : request.getParameter("mailbox").strip();
        boolean allowDeletions = "once".equals(request.getParameter("allowDeletions"));
        boolean confirmed = "yes".equals(request.getParameter("confirm"));
        String operator = OperatorRequest.operator(request);
        switch (action) {
            case "/sync" -> {
                if (mailbox.isEmpty()) {
                    Page.send(response, 400, Page.render("Bad request", operator, "", "<p>Which mailbox? (parameter mailbox)</p>"));
                    return;
                }
                String what = allowDeletions ? "sync now, allowing deletions once" : "sync now";
                if (!confirmed) {
                    confirm(request, response, "/actions/sync", Map.of("mailbox", mailbox, "allowDeletions", allowDeletions ? "once" : ""),
                            "Sync " + mailbox + " now" + (allowDeletions ? ", allowing deletions once?" : "?"),
                            allowDeletions ? "The mass-deletion guard will not hold this run back: every deletion it would "
                                    + "otherwise stop is carried out in Nextcloud. Only do this after checking why so much "
                                    + "would be deleted." : "The mailbox is synced now, outside the cycle.",
                            Html.mailboxPath(mailbox));
                    return;
                }
                ActionLog.Entry entry = log(operator, what, mailbox, request);
                CompletableFuture<MailboxView> run = console.engine.syncNow(mailbox, allowDeletions);
                run.whenComplete((v, e) -> entry.outcome(e == null ? v.state() + ", " + v.written() + " written"
                        : "failed: " + rootMessage(e)));
                String notice = waitBriefly(run, v -> "Synced by " + operator + ": " + v.state() + ", " + v.read()
                        + " changes read, " + v.written() + " written.", "Sync started by " + operator + "; it is still running.");
                response.sendRedirect(Html.mailboxPath(mailbox) + "?notice=" + URLEncoder.encode(notice, StandardCharsets.UTF_8));
            }
            case "/sync-all" -> {
                if (!confirmed) {
                    confirm(request, response, "/actions/sync-all", Map.of(), "Sync every mailbox now?",
                            "A cycle over every mailbox starts now (or the running one goes on).", "/");
                    return;
                }
                ActionLog.Entry entry = log(operator, "sync all now", "every mailbox", request);
                CompletableFuture<List<MailboxView>> cycle = console.engine.syncAll();
                cycle.whenComplete((v, e) -> entry.outcome(e == null ? v.size() + " mailboxes synced" : "failed: " + rootMessage(e)));
                response.sendRedirect("/");
            }
            case "/retry-quarantine" -> {
                if (mailbox.isEmpty() || console.state == null) {
                    Page.send(response, 400, Page.render("Bad request", operator, "", "<p>Which mailbox? (or the state store is not running)</p>"));
                    return;
                }
                if (!confirmed) {
                    confirm(request, response, "/actions/retry-quarantine", Map.of("mailbox", mailbox),
                            "Retry the quarantined items of " + mailbox + "?", "Their side is read in full at the next run and "
                                    + "they are tried again; the mailbox is synced now.", Html.mailboxPath(mailbox));
                    return;
                }
                ActionLog.Entry entry = log(operator, "retry quarantined items", mailbox, request);
                String notice;
                try {
                    int released = console.state.retryQuarantined(mailbox, null).size();
                    CompletableFuture<MailboxView> run = console.engine.syncNow(mailbox, false);
                    run.whenComplete((v, e) -> entry.outcome(released + " released; " + (e == null ? v.state() : "failed: " + rootMessage(e))));
                    notice = waitBriefly(run, v -> released + " item(s) released and synced by " + operator + ": " + v.state() + ".",
                            released + " item(s) released by " + operator + "; the sync is still running.");
                } catch (io.nexchange.api.state.StateException e) {
                    entry.outcome("failed: " + e.getMessage());
                    notice = "The retry failed: " + e.getMessage();
                }
                response.sendRedirect(Html.mailboxPath(mailbox) + "?notice=" + URLEncoder.encode(notice, StandardCharsets.UTF_8));
            }
            case "/switch" -> switchBackend(request, response, operator);
            case "/shadow" -> {
                if (mailbox.isEmpty()) {
                    Page.send(response, 400, Page.render("Bad request", operator, "", "<p>Which mailbox? (parameter mailbox)</p>"));
                    return;
                }
                if (!confirmed) {
                    confirm(request, response, "/actions/shadow", Map.of("mailbox", mailbox), "Shadow-read " + mailbox + "?",
                            "The mailbox's default calendar and contacts are read in full through the backend that syncs it and "
                                    + "through the other one, and compared item by item. Nothing is written and no sync state "
                                    + "is touched; it costs two full listings of the mailbox.", Html.mailboxPath(mailbox));
                    return;
                }
                ActionLog.Entry entry = log(operator, "shadow read", mailbox, request);
                CompletableFuture<ShadowView> read = console.engine.shadowRead(mailbox);
                read.whenComplete((v, e) -> entry.outcome(e == null ? shadowOutcome(v) : "failed: " + rootMessage(e)));
                String notice = waitBriefly(read, SHADOW_WAIT_SECONDS, v -> "Shadow read by " + operator + ": " + shadowOutcome(v) + ".",
                        "Shadow read started by " + operator + "; it is still running (reload this page to see its report).");
                response.sendRedirect(Html.mailboxPath(mailbox) + "?notice=" + URLEncoder.encode(notice, StandardCharsets.UTF_8)
                        + "#shadow");
            }
            case "/restore-conflict" -> restoreConflict(request, response, mailbox, confirmed, operator);
            default -> Page.send(response, 404, Page.render("Not found", operator, "", "<p>No such action.</p>"));
        }
    }

    /** Confirmation (with a preview of whom it takes in), then the switch; optionally a sync of those mailboxes now. */
    private void switchBackend(HttpServletRequest request, HttpServletResponse response, String operator) throws IOException {
        String selector = request.getParameter("selector") == null ? "" : request.getParameter("selector").strip();
        String backend = request.getParameter("backend") == null ? "" : request.getParameter("backend").strip();
        String back = selector.contains("@") && !selector.startsWith("-") ? Html.mailboxPath(selector) : "/migration";
        if (selector.isEmpty() || backend.isEmpty()) {
            Page.send(response, 400, Page.render("Bad request", operator, "", "<p>Which mailboxes (parameter selector: a mailbox, "
                    + "--wave NAME, --group NAME, --domain DOMAIN or --all) and which backend (graph or ews)?</p>"));
            return;
        }
        if (!"yes".equals(request.getParameter("confirm"))) {
            List<MigrationView.RouteView> taken;
            try {
                taken = console.engine.migration().mailboxes().stream().filter(r -> MigrationSummary.takes(selector, r)).toList();
            } catch (IllegalStateException e) {
                taken = List.of();
            }
            long moving = taken.stream().filter(r -> !r.backend().equals(backend)).count();
            String preview = taken.isEmpty() ? "No mailbox the engine has run matches now (the switch applies to those that match "
                    + "later)." : taken.size() + " mailbox(es) the engine knows match, " + moving + " of them now read through another "
                    + "backend: " + String.join(", ", taken.stream().limit(20).map(MigrationView.RouteView::mailbox).toList())
                    + (taken.size() > 20 ? ", …" : "") + ".";
            confirm(request, response, "/actions/switch", Map.of("selector", selector, "backend", backend),
                    "Switch " + selector + " to " + backend + "?", preview + " From each mailbox's next run it is read through "
                            + backend + ": one full listing matched to the sync state by item key, so an item whose content is "
                            + "the same is not written again. The switch is kept in the state database (every instance and a "
                            + "restart keep it).", back, "", "Yes, switch and sync them now");
            return;
        }
        ActionLog.Entry entry = log(operator, "switch to " + backend, selector, request);
        String notice;
        try {
            SwitchOutcome done = console.engine.switchBackend(selector, backend);
            String what = done.mailboxes().size() + " mailbox(es) taken in, " + Math.max(0, done.moved()) + " change backend";
            if ("sync".equals(request.getParameter("then")) && !done.mailboxes().isEmpty()) {
                List<CompletableFuture<MailboxView>> runs = done.mailboxes().stream().map(m -> console.engine.syncNow(m, false)).toList();
                CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> entry.outcome(what + "; synced: "
                        + runs.stream().map(r -> r.isCompletedExceptionally() ? "FAILED" : r.join().state() + " (" + r.join().backend()
                                + ", " + r.join().written() + " written)").collect(java.util.stream.Collectors.groupingBy(x -> x,
                                java.util.TreeMap::new, java.util.stream.Collectors.counting()))));
                notice = "Switched " + selector + " to " + backend + " by " + operator + ": " + what + "; syncing them now.";
            } else {
                entry.outcome(what);
                notice = "Switched " + selector + " to " + backend + " by " + operator + ": " + what + "; effective at each mailbox's "
                        + "next run.";
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            entry.outcome("refused: " + e.getMessage());
            notice = "Not switched: " + e.getMessage();
        }
        response.sendRedirect(back + "?notice=" + URLEncoder.encode(notice, StandardCharsets.UTF_8));
    }

    private static String shadowOutcome(ShadowView v) {
        return !v.error().isEmpty() ? v.primary() + " vs " + v.shadow() + " not compared: " + v.error()
                : v.primary() + " vs " + v.shadow() + ", " + (v.differences() == 0 ? "the same" : v.differences() + " item(s) differ");
    }

    private void restoreConflict(HttpServletRequest request, HttpServletResponse response, String mailbox, boolean confirmed,
            String operator) throws IOException {
        String id = request.getParameter("conflict") == null ? "" : request.getParameter("conflict").strip();
        Optional<ConflictRecord> conflict = Optional.empty();
        try {
            if (console.state != null && id.matches("\\d{1,18}")) {
                conflict = console.state.conflict(Long.parseLong(id)).filter(c -> c.pair().mailbox().equals(mailbox));
            }
        } catch (StateException e) {
            Page.send(response, 503, Page.render("State store failed", operator, "", "<p>The conflict could not be read: "
                    + escape(e.getMessage()) + "</p>"));
            return;
        }
        if (conflict.isEmpty()) {
            Page.send(response, 400, Page.render("Bad request", operator, "", "<p>No kept conflict " + escape(id) + " of mailbox "
                    + escape(mailbox) + " (or the state store is not running).</p>"));
            return;
        }
        ConflictRecord c = conflict.get();
        String item = c.summary().isEmpty() ? c.key().value() : "'" + c.summary() + "'";
        if (!confirmed) {
            confirm(request, response, "/actions/restore-conflict", Map.of("mailbox", mailbox, "conflict", id),
                    "Restore the " + Html.side(c.loser()) + " version of " + item + "?",
                    "It is written back over what " + Html.side(c.loser()) + " holds now, then to " + Html.side(c.winner())
                            + " (which kept its own version when the conflict was resolved); edits made to the item since are "
                            + "overwritten. The mailbox is synced now.", Html.mailboxPath(mailbox), Html.lostVersion(c, true));
            return;
        }
        ActionLog.Entry entry = log(operator, "restore conflict " + id + " (" + item + ")", mailbox, request);
        String notice;
        try {
            console.state.requestRestore(c.id(), operator);
            CompletableFuture<MailboxView> run = console.engine.syncNow(mailbox, false);
            run.whenComplete((v, e) -> entry.outcome(e == null ? v.state() + ", " + v.written() + " written" : "failed: " + rootMessage(e)));
            notice = waitBriefly(run, v -> "Conflict " + id + " restored by " + operator + ": " + v.state() + ", " + v.written()
                    + " written.", "Restore of conflict " + id + " asked by " + operator + "; the sync is still running.");
        } catch (StateException e) {
            entry.outcome("failed: " + e.getMessage());
            notice = "The restore failed: " + e.getMessage();
        }
        response.sendRedirect(Html.mailboxPath(mailbox) + "?notice=" + URLEncoder.encode(notice, StandardCharsets.UTF_8));
    }

    private ActionLog.Entry log(String operator, String what, String target, HttpServletRequest request) {
        LOG.info("Console action by {}: {} ({})", operator, what, target);
        return console.actions.add(operator, what, target);
    }

    private static <T> String waitBriefly(CompletableFuture<T> future, java.util.function.Function<T, String> done, String running) {
        return waitBriefly(future, WAIT_SECONDS, done, running);
    }

    private static <T> String waitBriefly(CompletableFuture<T> future, long seconds, java.util.function.Function<T, String> done,
            String running) {
        try {
            return done.apply(future.get(seconds, TimeUnit.SECONDS));
        } catch (TimeoutException e) {
            return running;
        } catch (ExecutionException e) {
            return "It failed: " + rootMessage(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return running;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while ((cause instanceof ExecutionException || cause instanceof java.util.concurrent.CompletionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return String.valueOf(cause.getMessage());
    }

    private static void confirm(HttpServletRequest request, HttpServletResponse response, String action, Map<String, String> fields,
            String question, String explanation, String cancel) throws IOException {
        confirm(request, response, action, fields, question, explanation, cancel, "", null);
    }

    /** @param detailHtml shown under the explanation (already escaped HTML) */
    private static void confirm(HttpServletRequest request, HttpServletResponse response, String action, Map<String, String> fields,
            String question, String explanation, String cancel, String detailHtml) throws IOException {
        confirm(request, response, action, fields, question, explanation, cancel, detailHtml, null);
    }

    /**
     * The confirmation page.
     *
     * @param detailHtml shown under the explanation (already escaped HTML)
     * @param andSync if given, labels a second button that also sends {@code then=sync}
     */
    private static void confirm(HttpServletRequest request, HttpServletResponse response, String action, Map<String, String> fields,
            String question, String explanation, String cancel, String detailHtml, String andSync) throws IOException {
        StringBuilder out = new StringBuilder("<section class=\"confirm\" id=\"confirm\"><h1>").append(escape(question))
                .append("</h1><p>").append(escape(explanation)).append("</p>").append(detailHtml)
                .append("<form method=\"post\" action=\"").append(escape(action))
                .append("\">").append(Html.csrf(request)).append("<input type=\"hidden\" name=\"confirm\" value=\"yes\">");
        fields.forEach((k, v) -> out.append("<input type=\"hidden\" name=\"").append(escape(k)).append("\" value=\"")
                .append(escape(v)).append("\">"));
        out.append("<div class=\"actions\"><button type=\"submit\" id=\"confirm-button\">Yes, do it</button>");
        if (andSync != null) {
            out.append("<button type=\"submit\" name=\"then\" value=\"sync\" id=\"confirm-and-sync\">").append(escape(andSync))
                    .append("</button>");
        }
        out.append("<a href=\"")
                .append(escape(cancel)).append("\">Cancel</a></div></form></section>");
        Page.send(response, 200, Page.render("Confirm", OperatorRequest.operator(request), "", out.toString()));
    }
}
