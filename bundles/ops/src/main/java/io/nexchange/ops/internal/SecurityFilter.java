package io.nexchange.ops.internal;

import io.nexchange.ops.web.OperatorRequest;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs before every servlet of the operator endpoint (Whiteboard filter on {@code /*} of the default context), so a
 * page another bundle adds gets the same protection:
 * <ul>
 * <li>security headers on every answer (CSP without inline script or style, no framing, no sniffing, no referrer);</li>
 * <li>who the operator is: a console login (session cookie), the operator token (X-Nexchange-Token or Authorization:
 * Bearer, for scripts), or, when no login is required (loopback), a browser gets a session without one;</li>
 * <li>when a login is required, everything but /health and the login page needs one of those;</li>
 * <li>every POST made with a session cookie needs the session's CSRF token and, if the browser sends an Origin, the
 * endpoint's own.</li>
 * </ul>
 */
@Component(service = Filter.class, configurationPid = HttpEndpoint.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {
            "osgi.http.whiteboard.filter.pattern=/*",
            "osgi.http.whiteboard.filter.name=nexchange-security",
            "service.ranking:Integer=1000"
        })
public final class SecurityFilter implements Filter {
    static final String SESSION_COOKIE = "nexchange_session";
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    private static final Logger LOG = LoggerFactory.getLogger(SecurityFilter.class);

    private final LoginPolicy policy;
    private final OperatorToken token;
    private final OperatorSessions sessions;

    @Activate
    public SecurityFilter(OpsHttpConfiguration config, @Reference OperatorToken token, @Reference OperatorSessions sessions) {
        this(LoginPolicy.of(config), token, sessions);
    }

    SecurityFilter(LoginPolicy policy, OperatorToken token, OperatorSessions sessions) {
        this.policy = policy;
        this.token = token;
        this.sessions = sessions;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        addSecurityHeaders(response);
        String path = path(request);
        if (isOpen(path)) {
            chain.doFilter(request, response);
            return;
        }
        Optional<OperatorSessions.Session> session = sessions.find(cookie(request, SESSION_COOKIE));
        boolean post = !"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod());
        if (session.isPresent()) {
            if (post && !sameOrigin(request)) {
                deny(response, 403, "cross-origin request refused (Origin " + request.getHeader("Origin") + ")");
                return;
            }
            String presented = Optional.ofNullable(request.getHeader(OperatorRequest.CSRF_HEADER))
                    .orElseGet(() -> post ? request.getParameter(OperatorRequest.CSRF_FIELD) : null);
            if (post && !OperatorRequest.sameToken(session.get().csrf(), presented)) {
                LOG.warn("Refused {} {} by {} from {}: missing or wrong CSRF token", request.getMethod(), path,
                        session.get().operator(), request.getRemoteAddr());
                deny(response, 403, "missing or wrong CSRF token: reload the page and try again");
                return;
            }
            request.setAttribute(OperatorRequest.OPERATOR, session.get().operator());
            request.setAttribute(OperatorRequest.CSRF_TOKEN, session.get().csrf());
            chain.doFilter(request, response);
            return;
        }
        if (presentsToken(request)) {
            // a script with the token: not a browser acting on a cookie, so no CSRF token is needed
            request.setAttribute(OperatorRequest.OPERATOR, "operator token from " + request.getRemoteAddr());
            chain.doFilter(request, response);
            return;
        }
        if (path.equals("/console")) {
            chain.doFilter(request, response); // answers 401 itself, with where the token is
            return;
        }
        if (policy.loginRequired()) {
            if (!post && acceptsHtml(request)) {
                String query = request.getQueryString();
                String next = path + (query == null ? "" : "?" + query);
                response.setHeader("Cache-Control", "no-store");
                response.sendRedirect("/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
            } else {
                response.setHeader("WWW-Authenticate", "Bearer realm=\"nexchange\"");
                deny(response, 401, "log in at /login, or send the operator token (data/ops.token) as X-Nexchange-Token "
                        + "or Authorization: Bearer");
            }
            return;
        }
        if (post) {
            deny(response, 403, "missing or wrong CSRF token: open the page in the console and try again");
            return;
        }
        if (!acceptsHtml(request)) {
            chain.doFilter(request, response); // loopback without login: curl, Prometheus, bin/nexchange status
            return;
        }
        // loopback without login: a browser gets a session of its own, so its actions carry a CSRF token
        OperatorSessions.Session local = sessions.open("local operator (loopback " + request.getRemoteAddr() + ")");
        response.addHeader("Set-Cookie", sessionCookie(local.id(), request.isSecure()));
        request.setAttribute(OperatorRequest.OPERATOR, local.operator());
        request.setAttribute(OperatorRequest.CSRF_TOKEN, local.csrf());
        chain.doFilter(request, response);
    }

    /** What needs no login: liveness and readiness (load balancers, systemd), the login page and the stylesheet. */
    static boolean isOpen(String path) {
        return path.equals("/health") || path.startsWith("/health/") || path.equals("/login") || path.startsWith("/static/");
    }

    boolean presentsToken(HttpServletRequest request) {
        String header = request.getHeader("X-Nexchange-Token");
        if (header == null) {
            String authorization = request.getHeader("Authorization");
            if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                header = authorization.substring(7);
            }
        }
        return token.matches(header);
    }

    static String sessionCookie(String id, boolean secure) {
        return SESSION_COOKIE + "=" + id + "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    static void addSecurityHeaders(HttpServletResponse response) {
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "same-origin");
        response.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    }

    /** A POST's Origin, when the browser sends one, must be this endpoint (the address the browser used). */
    static boolean sameOrigin(HttpServletRequest request) {
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return true;
        }
        try {
            URI uri = URI.create(origin);
            String host = request.getHeader("Host");
            return host != null && uri.getScheme() != null && uri.getScheme().equals(request.getScheme())
                    && (uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())).equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static boolean acceptsHtml(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        return accept != null && accept.contains("text/html");
    }

    static String path(HttpServletRequest request) {
        String uri = request.getRequestURI();
        return uri == null || uri.isEmpty() ? "/" : uri;
    }

    static String cookie(HttpServletRequest request, String name) {
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie cookie : cookies) {
                if (cookie.getName().equals(name)) {
                    return cookie.getValue();
                }
            }
        }
        return null;
    }

    static void deny(HttpServletResponse response, int status, String message) throws IOException {
        Http.send(response, status, "text/plain; charset=utf-8", message + "\n");
    }
}
