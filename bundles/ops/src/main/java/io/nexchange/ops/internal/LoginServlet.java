package io.nexchange.ops.internal;

import io.nexchange.ops.web.OperatorRequest;
import io.nexchange.ops.web.Page;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /login}: the operator gives a name (for the action log) and the operator token ({@code data/ops.token});
 * {@code POST /logout} ends the login. The login form is protected against login CSRF by a double-submit cookie,
 * and an address that failed {@value OperatorSessions#MAX_FAILURES} times in 10 minutes is refused until they pass.
 */
@Component(service = Servlet.class, configurationPid = HttpEndpoint.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {
            "osgi.http.whiteboard.servlet.pattern=/login",
            "osgi.http.whiteboard.servlet.pattern=/logout",
            "osgi.http.whiteboard.servlet.name=nexchange-login"
        })
public final class LoginServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LoginServlet.class);
    static final String LOGIN_COOKIE = "nexchange_login";
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N} ._@-]{1,64}");

    private final transient LoginPolicy policy;
    private final transient OperatorToken token;
    private final transient OperatorSessions sessions;

    @Activate
    public LoginServlet(OpsHttpConfiguration config, @Reference OperatorToken token, @Reference OperatorSessions sessions) {
        this.policy = LoginPolicy.of(config);
        this.token = token;
        this.sessions = sessions;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getRequestURI().equals("/logout")) {
            Http.send(response, 405, "text/plain", "POST /logout (the button in the console)\n");
            return;
        }
        if (!policy.loginRequired()) {
            response.sendRedirect("/");
            return;
        }
        form(request, response, 200, "");
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getRequestURI().equals("/logout")) {
            // the security filter has checked the session's CSRF token
            String id = SecurityFilter.cookie(request, SecurityFilter.SESSION_COOKIE);
            sessions.close(id);
            LOG.info("Console logout: {}", OperatorRequest.operator(request));
            response.addHeader("Set-Cookie", SecurityFilter.SESSION_COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
            response.sendRedirect(policy.loginRequired() ? "/login" : "/");
            return;
        }
        String address = request.getRemoteAddr();
        String formNonce = request.getParameter(OperatorRequest.CSRF_FIELD);
        if (!OperatorRequest.sameToken(SecurityFilter.cookie(request, LOGIN_COOKIE), formNonce)
                || !SecurityFilter.sameOrigin(request)) {
            form(request, response, 403, "The login form expired: try again.");
            return;
        }
        if (!sessions.mayTry(address)) {
            LOG.warn("Console login refused for {}: too many failed logins in the last 10 minutes", address);
            form(request, response, 429, "Too many failed logins from your address: wait 10 minutes.");
            return;
        }
        String name = request.getParameter("operator") == null ? "" : request.getParameter("operator").strip();
        if (!NAME.matcher(name).matches()) {
            form(request, response, 400, "Give your name (letters, digits, . _ @ -, at most 64): it is logged with your actions.");
            return;
        }
        if (!token.matches(request.getParameter("token"))) {
            sessions.failed(address);
            LOG.warn("Console login failed for '{}' from {}: wrong operator token", name, address);
            form(request, response, 401, "Wrong operator token. It is in the instance's data/ops.token (readable by the "
                    + "service account and root only).");
            return;
        }
        sessions.succeeded(address);
        OperatorSessions.Session session = sessions.open(name + " (token login from " + address + ")");
        LOG.info("Console login: {}", session.operator());
        response.addHeader("Set-Cookie", SecurityFilter.sessionCookie(session.id(), request.isSecure()));
        response.addHeader("Set-Cookie", LOGIN_COOKIE + "=; Path=/login; Max-Age=0; HttpOnly; SameSite=Strict");
        response.setHeader("Cache-Control", "no-store");
        response.sendRedirect(safeNext(request.getParameter("next")));
    }

    /** Only a path of this endpoint: never another site (an open redirect). */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\") || next.startsWith("/login")) {
            return "/";
        }
        return next;
    }

    private void form(HttpServletRequest request, HttpServletResponse response, int status, String message) throws IOException {
        String nonce = OperatorSessions.randomToken();
        response.addHeader("Set-Cookie", LOGIN_COOKIE + "=" + nonce + "; Path=/login; HttpOnly; SameSite=Strict"
                + (request.isSecure() ? "; Secure" : ""));
        StringBuilder body = new StringBuilder("<section class=\"login\"><h1>Log in</h1>");
        if (!message.isEmpty()) {
            body.append("<p class=\"error\" role=\"alert\">").append(Page.escape(message)).append("</p>");
        }
        body.append("<form method=\"post\" action=\"/login\">")
                .append("<input type=\"hidden\" name=\"").append(OperatorRequest.CSRF_FIELD).append("\" value=\"")
                .append(Page.escape(nonce)).append("\">")
                .append("<input type=\"hidden\" name=\"next\" value=\"").append(Page.escape(safeNext(request.getParameter("next"))))
                .append("\"><label>Your name <input name=\"operator\" autocomplete=\"username\" required maxlength=\"64\"></label>")
                .append("<label>Operator token <input name=\"token\" type=\"password\" autocomplete=\"current-password\" required></label>")
                .append("<button type=\"submit\">Log in</button></form>")
                .append("<p class=\"hint\">The operator token is in the instance's <code>data/ops.token</code>.</p></section>");
        Page.send(response, status, Page.render("Log in", "", "", body.toString()));
    }
}
