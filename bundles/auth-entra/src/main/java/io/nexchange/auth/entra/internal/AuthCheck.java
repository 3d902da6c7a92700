package io.nexchange.auth.entra.internal;

import io.nexchange.api.auth.AccessToken;
import io.nexchange.api.auth.AuthException;
import io.nexchange.api.auth.AuthProblem;
import io.nexchange.api.auth.TokenProvider;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code nexchange:auth-check} does for one registration: the configuration, a fresh token per
 * scope (bypassing the cache, so that the credential as configured now is tried), the roles the token
 * carries, then Graph itself: {@code /users?$top=1}, and one mailbox's calendar and contacts. Every
 * problem is reported with the setup step that fixes it.
 */
final class AuthCheck {
    private static final Duration SECRET_WARNING = Duration.ofDays(30);

    /** One line of the report. */
    record Finding(boolean ok, Optional<AuthProblem> problem, String text) {
        static Finding ok(String text) {
            return new Finding(true, Optional.empty(), text);
        }

        static Finding warning(String text) {
            return new Finding(true, Optional.empty(), "warning: " + text);
        }

        static Finding problem(AuthException e) {
            return new Finding(false, Optional.of(e.problem()), e.getMessage());
        }

        static Finding problem(String registration, AuthProblem problem, String detail) {
            return problem(new AuthException(registration, problem, detail));
        }
    }

    /** The report of one registration. */
    record Report(String registration, String header, List<Finding> findings) {
        boolean healthy() {
            return findings.stream().allMatch(Finding::ok);
        }

        List<AuthProblem> problems() {
            return findings.stream().flatMap(f -> f.problem().stream()).toList();
        }

        String toText() {
            StringBuilder out = new StringBuilder("Registration '" + registration + "'" + (header.isEmpty() ? "" : ": " + header) + "\n");
            for (Finding f : findings) {
                if (!f.ok()) {
                    out.append("  [PROBLEM] ").append(f.text());
                } else if (f.text().startsWith("warning: ")) {
                    out.append("  [warning] ").append(f.text().substring("warning: ".length()));
                } else {
                    out.append("  [ok]      ").append(f.text());
                }
                out.append('\n');
            }
            long problems = findings.stream().filter(f -> !f.ok()).count();
            out.append("  => ").append(problems == 0 ? "OK" : problems + " problem(s): fix them in the order shown").append('\n');
            return out.toString();
        }
    }

    private final Clock clock;

    AuthCheck(Clock clock) {
        this.clock = clock;
    }

    Report run(EntraTokenProvider provider) {
        EntraTokenProvider.State state = provider.state();
        String registration = state.registration();
        List<Finding> findings = new ArrayList<>();
        if (state.problem().isPresent()) {
            findings.add(Finding.problem(state.problem().get()));
            return new Report(registration, "", findings);
        }
        RegistrationSettings settings;
        try {
            settings = provider.currentSettings().orElseThrow();
        } catch (AuthException e) {
            findings.add(Finding.problem(e));
            return new Report(registration, "", findings);
        }
        settings.secretExpires().ifPresent(expiry -> {
            LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
            if (expiry.isBefore(today)) {
                findings.add(Finding.warning("clientSecretExpires says the secret expired on " + expiry
                        + "; create a new one in Certificates & secrets"));
            } else if (expiry.isBefore(today.plus(SECRET_WARNING))) {
                findings.add(Finding.warning("the client secret expires on " + expiry
                        + "; create a new one in Certificates & secrets and put it in the configuration before then"));
            }
        });
        MsalTokenSource source;
        try {
            source = new MsalTokenSource(settings);
        } catch (AuthException e) {
            findings.add(Finding.problem(e));
            return new Report(registration, settings.describe(), findings);
        }
        AccessToken graphToken = null;
        for (String scope : settings.scopes()) {
            long started = System.nanoTime();
            AccessToken token;
            try {
                token = source.fetch(scope);
            } catch (AuthException e) {
                findings.add(Finding.problem(e));
                continue;
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            findings.add(Finding.ok("token for " + scope + " in " + millis + " ms, valid until " + token.expiresOn()
                    + ", roles " + (token.roles().isEmpty() ? "(none)" : String.join(", ", token.roles()))));
            boolean ews = EntraTokenProvider.isEws(scope);
            findings.addAll(roleFindings(registration, ews, token.roles()));
            if (!ews && graphToken == null) {
                graphToken = token;
            }
        }
        state.keeper().flatMap(k -> settings.scopes().stream().flatMap(s -> k.lastFailure(s).stream()).findFirst())
                .filter(e -> findings.stream().noneMatch(f -> f.problem().equals(Optional.of(e.problem()))))
                .ifPresent(e -> findings.add(Finding.warning("the last background refresh failed: " + e.getMessage())));
        if (graphToken != null) {
            findings.addAll(probeGraph(settings, graphToken));
        }
        return new Report(registration, settings.describe(), findings);
    }

    static List<Finding> roleFindings(String registration, boolean ews, Set<String> roles) {
        List<Finding> findings = new ArrayList<>();
        if (roles.isEmpty()) {
            findings.add(Finding.problem(registration, AuthProblem.CONSENT_NOT_GRANTED, "the token carries no application roles"));
            return findings;
        }
        if (ews) {
            if (!roles.contains("full_access_as_app")) {
                findings.add(Finding.problem(registration, AuthProblem.PERMISSION_MISSING, "EWS needs the Office 365 Exchange Online "
                        + "application permission full_access_as_app (API permissions > Add a permission > APIs my organization uses)"));
            }
            return findings;
        }
        for (String role : RegistrationSettings.REQUIRED_GRAPH_ROLES) {
            if (!roles.contains(role)) {
                findings.add(Finding.problem(registration, AuthProblem.PERMISSION_MISSING, "Microsoft Graph application permission "
                        + role + " is not granted"));
            }
        }
        return findings;
    }

    private List<Finding> probeGraph(RegistrationSettings settings, AccessToken token) {
        List<Finding> findings = new ArrayList<>();
        String registration = settings.registration();
        HttpClient http;
        try {
            http = HttpClient.newBuilder().sslContext(TlsTrust.sslContext(settings)).connectTimeout(Duration.ofSeconds(10)).build();
        } catch (AuthException e) {
            findings.add(Finding.problem(e));
            return findings;
        }
        String base = settings.graphBaseUrl() + "/v1.0";
        Probe users;
        try {
            users = get(http, base + "/users?$top=1&$select=id,userPrincipalName", token);
        } catch (IOException e) {
            findings.add(Finding.problem(registration, AuthProblem.SERVICE_UNAVAILABLE, "Graph at " + settings.graphBaseUrl()
                    + " cannot be reached (" + e.getClass().getSimpleName() + "); check graphBaseUrl"));
            return findings;
        }
        String mailbox = settings.probeMailbox().orElse(null);
        if (users.status == 200) {
            String first = null;
            if (users.json.get("value") instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map<?, ?> user) {
                first = (String) user.get("userPrincipalName");
            }
            findings.add(Finding.ok("Graph /users readable" + (first == null ? " (no users)" : " (first user " + first + ")")));
            if (mailbox == null) {
                mailbox = first;
            }
        } else {
            findings.add(graphProblem(registration, users, "User.Read.All", "/users", token));
        }
        if (mailbox == null) {
            findings.add(Finding.warning("no mailbox to probe: set probeMailbox to a licensed mailbox's UPN"));
            return findings;
        }
        String user = URLEncoder.encode(mailbox, StandardCharsets.UTF_8);
        for (String[] probe : List.of(new String[] {"/calendar?$select=id", "calendar", "Calendars.ReadWrite"},
                new String[] {"/contacts?$top=1&$select=id", "contacts", "Contacts.ReadWrite"})) {
            try {
                Probe answer = get(http, base + "/users/" + user + probe[0], token);
                if (answer.status == 200) {
                    findings.add(Finding.ok("mailbox " + mailbox + ": " + probe[1] + " readable"));
                } else if (answer.status == 404 && "MailboxNotEnabledForRESTAPI".equals(answer.code)) {
                    findings.add(Finding.problem(registration, AuthProblem.MAILBOX_NOT_LICENSED, "user " + mailbox
                            + " (Graph: MailboxNotEnabledForRESTAPI)" + (settings.probeMailbox().isEmpty()
                            ? "; set probeMailbox to a licensed mailbox to check calendar and contacts access" : "")));
                    break;
                } else {
                    findings.add(graphProblem(registration, answer, probe[2], "mailbox " + mailbox + " " + probe[1], token));
                }
            } catch (IOException e) {
                findings.add(Finding.problem(registration, AuthProblem.SERVICE_UNAVAILABLE, "Graph did not answer for " + mailbox
                        + " (" + e.getClass().getSimpleName() + ")"));
            }
        }
        return findings;
    }

    private static Finding graphProblem(String registration, Probe answer, String permission, String what, AccessToken token) {
        if (answer.status == 403) {
            if (token.roles().isEmpty()) {
                return Finding.problem(registration, AuthProblem.CONSENT_NOT_GRANTED, "Graph refused " + what + " (" + answer.code + ")");
            }
            return Finding.problem(registration, AuthProblem.PERMISSION_MISSING, "Graph refused " + what + " (" + answer.code
                    + "): Microsoft Graph application permission " + permission + " is needed");
        }
        if (answer.status == 401) {
            return Finding.problem(registration, AuthProblem.CONFIGURATION_INVALID, "Graph rejected the token for " + what + " ("
                    + answer.code + "): graphBaseUrl and cloud must belong to the same cloud as the tenant");
        }
        if (answer.status == 404) {
            return Finding.problem(registration, AuthProblem.CONFIGURATION_INVALID, "Graph does not know " + what + " (" + answer.code
                    + "): check probeMailbox");
        }
        return Finding.problem(registration, AuthProblem.SERVICE_UNAVAILABLE, "Graph answered HTTP " + answer.status + " ("
                + answer.code + ") for " + what);
    }

    /** A Graph answer: status, error code ({@code error.code}) and the JSON body. */
    private record Probe(int status, String code, Map<String, Object> json) {
    }

    private static Probe get(HttpClient http, String url, AccessToken token) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token.value().reveal()).header("Accept", "application/json").GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            Map<String, Object> json = JwtClaims.object(response.body().getBytes(StandardCharsets.UTF_8));
            String code = json.get("error") instanceof Map<?, ?> error && error.get("code") != null ? error.get("code").toString() : "";
            return new Probe(response.statusCode(), code, json);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    /** The registrations to check: all, or the one named. */
    static boolean matches(TokenProvider provider, String wanted) {
        return wanted == null || wanted.isBlank() || wanted.equalsIgnoreCase(provider.registration());
    }
}
