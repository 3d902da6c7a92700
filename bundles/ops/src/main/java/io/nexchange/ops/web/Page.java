package io.nexchange.ops.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The frame of every HTML page of the operator endpoint: one stylesheet ({@value #STYLESHEET}), one optional
 * script, a navigation bar, no inline script or style (the Content-Security-Policy forbids them).
 */
public final class Page {
    /** The shared stylesheet, served by the ops bundle. */
    public static final String STYLESHEET = "/static/nexchange.css";

    private Page() {}

    /** HTML-escapes text for element content and quoted attribute values. */
    public static String escape(Object value) {
        String text = String.valueOf(value);
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<': out.append("&lt;"); break;
                case '>': out.append("&gt;"); break;
                case '&': out.append("&amp;"); break;
                case '"': out.append("&quot;"); break;
                case '\'': out.append("&#39;"); break;
                default: out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * A whole page.
     *
     * @param title the page title (plain text)
     * @param operator who is logged in, shown in the bar (plain text); empty for none
     * @param script path of a script of the same origin, or empty
     * @param body the page's HTML
     */
    public static String render(String title, String operator, String script, String body) {
        StringBuilder out = new StringBuilder(body.length() + 1024);
        out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(escape(title)).append(" · Nexchange</title>")
                .append("<link rel=\"stylesheet\" href=\"").append(STYLESHEET).append("\">");
        if (!script.isEmpty()) {
            out.append("<script src=\"").append(escape(script)).append("\" defer></script>");
        }
        out.append("</head><body><header><a class=\"brand\" href=\"/\">Nexchange</a><nav>")
                .append("<a href=\"/\">Mailboxes</a><a href=\"/migration\">Migration</a><a href=\"/throttling\">Throttling</a>")
                .append("<a href=\"/runtime\">Features &amp; bundles</a><a href=\"/audit\">Actions</a></nav>");
        if (!operator.isEmpty()) {
            out.append("<span class=\"who\">").append(escape(operator)).append("</span>");
        }
        out.append("</header><main>").append(body).append("</main></body></html>\n");
        return out.toString();
    }

    /** Sends HTML with the given status; never cached (pages show live state and carry CSRF tokens). */
    public static void send(HttpServletResponse response, int status, String html) throws IOException {
        byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("text/html; charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
