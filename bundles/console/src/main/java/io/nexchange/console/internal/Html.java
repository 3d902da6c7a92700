package io.nexchange.console.internal;

import static io.nexchange.ops.web.Page.escape;

import io.nexchange.ops.web.OperatorRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Small pieces of the console's HTML. */
final class Html {
    private Html() {}

    /** What an operator does about a state the error text may not spell out. */
    static final Map<String, String> STATE_HINTS = Map.of(
            "GUARDED", "The mass-deletion guard held the pair back: check why so much would be deleted, then sync it allowing deletions once.",
            "UNMAPPED", "No Nextcloud account has this address: create the account, or map the address in the account directory.",
            "AMBIGUOUS", "Several Nextcloud accounts have this address: give it to one of them only.",
            "CREDENTIALS_REJECTED", "Nextcloud rejected the login: import a new app password (nexchange:credentials import FILE.csv).",
            "THROTTLED", "A server throttles the connector: it resumes by itself when the server admits requests again.",
            "LEASED_ELSEWHERE", "Another instance syncs this mailbox now.",
            "FAILED", "Nothing was synced: the error names the setting or server to fix.");

    static String state(String state) {
        return "<span class=\"state state-" + escape(state) + "\">" + escape(state) + "</span>";
    }

    static String mailboxLink(String mailbox) {
        return "<a href=\"" + escape(mailboxPath(mailbox)) + "\">" + escape(mailbox) + "</a>";
    }

    static String mailboxPath(String mailbox) {
        return "/mailboxes/" + URLEncoder.encode(mailbox, StandardCharsets.UTF_8);
    }

    /** "3 min ago", with the exact time as a tooltip. */
    static String ago(Optional<Instant> when, Instant now) {
        if (when.isEmpty()) {
            return "<span class=\"muted\">never</span>";
        }
        return "<time datetime=\"" + iso(when.get()) + "\" title=\"" + iso(when.get()) + "\">" + escape(age(when.get(), now))
                + "</time>";
    }

    static String age(Instant when, Instant now) {
        long s = Math.max(0, Duration.between(when, now).getSeconds());
        if (s < 60) {
            return s + " s ago";
        }
        if (s < 3600) {
            return s / 60 + " min ago";
        }
        if (s < 86_400) {
            return s / 3600 + " h " + s % 3600 / 60 + " min ago";
        }
        return s / 86_400 + " d ago";
    }

    static String iso(Instant when) {
        return DateTimeFormatter.ISO_INSTANT.format(when.truncatedTo(ChronoUnit.SECONDS));
    }

    static String duration(Duration d) {
        long s = d.getSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60)
                : String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }

    static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** The outcome of the action that led here ({@code ?notice=}), or nothing. */
    static String notice(HttpServletRequest request) {
        String notice = request.getParameter("notice");
        return notice == null || notice.isBlank() ? "" : "<p class=\"notice\" id=\"notice\" role=\"status\">" + escape(notice) + "</p>";
    }

    /** The hidden CSRF field every form of the console carries. */
    static String csrf(HttpServletRequest request) {
        return "<input type=\"hidden\" name=\"" + OperatorRequest.CSRF_FIELD + "\" value=\""
                + escape(OperatorRequest.csrfToken(request).orElse("")) + "\">";
    }

    /** A POST button (an action: the next page asks for confirmation). */
    static String actionButton(HttpServletRequest request, String action, Map<String, String> fields, String label, String css) {
        StringBuilder out = new StringBuilder("<form method=\"post\" action=\"/actions/").append(escape(action)).append("\">")
                .append(csrf(request));
        fields.forEach((k, v) -> out.append("<input type=\"hidden\" name=\"").append(escape(k)).append("\" value=\"")
                .append(escape(v)).append("\">"));
        return out.append("<button type=\"submit\" class=\"").append(escape(css)).append("\">").append(escape(label))
                .append("</button></form>").toString();
    }

    static String side(io.nexchange.api.state.Side side) {
        return side == io.nexchange.api.state.Side.EXCHANGE ? "Exchange" : "Nextcloud";
    }

    /**
     * The losing version of a conflict (works without the script): which side, its version, its full text; folded unless
     * {@code open}.
     */
    static String lostVersion(io.nexchange.api.state.ConflictRecord c, boolean open) {
        io.nexchange.api.state.ConflictRecord.Version lost = c.losing();
        return "<details class=\"lost-version\"" + (open ? " open" : "") + "><summary>" + escape(side(c.loser())) + " version</summary><p class=\"hint\">"
                + escape(lost.ref()) + ", version " + escape(lost.version()) + "</p><pre>"
                + escape(lost.content().text().replace("\r\n", "\n")) + "</pre></details>";
    }
}
