package io.nexchange.auth.entra.internal;

import com.microsoft.aad.msal4j.MsalException;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.microsoft.aad.msal4j.MsalThrottlingException;
import io.nexchange.api.auth.AuthException;
import io.nexchange.api.auth.AuthProblem;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Turns what msal4j throws into the operator's words: Entra's AADSTS codes
 * (https://learn.microsoft.com/entra/identity-platform/reference-error-codes) become the
 * {@link AuthProblem} whose fix names the setup step. Details quote the code and Entra's first
 * sentence (tenant and client ids, never a secret: the secret is not part of any Entra error text).
 */
final class EntraErrors {
    private static final Pattern AADSTS = Pattern.compile("AADSTS(\\d+)");

    private EntraErrors() {
    }

    static AuthException map(RegistrationSettings settings, String scope, Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof AuthException auth) {
            return auth;
        }
        String registration = settings.registration();
        if (t instanceof MsalThrottlingException throttled) {
            return new AuthException(registration, AuthProblem.SERVICE_UNAVAILABLE, "the token endpoint failed moments ago and msal4j "
                    + "holds identical requests back for " + Math.max(1, throttled.retryInMs() / 1000) + " s", null);
        }
        if (t instanceof MsalServiceException service) {
            return fromEntra(settings, scope, service);
        }
        Throwable io = rootOf(t);
        if (io instanceof SSLException) {
            return new AuthException(registration, AuthProblem.CONFIGURATION_INVALID, "the TLS certificate of " + settings.authority()
                    + " is not trusted (" + io.getClass().getSimpleName() + "): set truststore to a truststore holding its CA", null);
        }
        if (io instanceof ConnectException || io instanceof UnknownHostException || io instanceof SocketTimeoutException
                || io instanceof HttpTimeoutException) {
            return new AuthException(registration, AuthProblem.SERVICE_UNAVAILABLE, "cannot reach " + settings.authority() + " ("
                    + io.getClass().getSimpleName() + ")", null);
        }
        if (t instanceof MsalException msal) {
            return new AuthException(registration, AuthProblem.CONFIGURATION_INVALID, "msal4j refused the request: "
                    + firstSentence(msal.getMessage()) + (msal.errorCode() == null ? "" : " [" + msal.errorCode() + "]"), null);
        }
        return new AuthException(registration, AuthProblem.SERVICE_UNAVAILABLE, "token request failed: " + t.getClass().getSimpleName(), null);
    }

    private static AuthException fromEntra(RegistrationSettings settings, String scope, MsalServiceException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        Matcher m = AADSTS.matcher(message);
        String code = m.find() ? m.group(1) : "";
        int status = e.statusCode() == null ? 0 : e.statusCode();
        String quoted = (code.isEmpty() ? "" : "Entra answered AADSTS" + code + ": ") + firstSentence(message.replaceFirst("^AADSTS\\d+:\\s*", ""));
        String registration = settings.registration();
        AuthProblem problem;
        String detail;
        switch (code) {
            case "90002": case "90023": case "900023":
                problem = AuthProblem.TENANT_NOT_FOUND;
                detail = "tenant '" + settings.tenantId() + "' does not exist in this cloud; " + quoted;
                break;
            case "700016":
                problem = AuthProblem.APPLICATION_NOT_FOUND;
                detail = "client id " + settings.clientId() + " is not registered in tenant " + settings.tenantId() + "; " + quoted;
                break;
            case "7000215":
                problem = AuthProblem.INVALID_SECRET;
                detail = "the client secret from " + settings.secretSource() + " was rejected; a Secret ID instead of the Value, "
                        + "or a secret of another app, look like this; " + quoted;
                break;
            case "7000222":
                problem = AuthProblem.SECRET_EXPIRED;
                detail = settings.secretExpires().map(d -> "it expired on " + d + " (clientSecretExpires); ").orElse("")
                        + quoted;
                break;
            case "700027": case "700021": case "700023": case "700024": case "50027": case "700022": case "50012":
                problem = settings.usesCertificate() ? AuthProblem.INVALID_CERTIFICATE : AuthProblem.INVALID_SECRET;
                detail = quoted;
                break;
            case "70011":
                problem = AuthProblem.INVALID_SCOPE;
                detail = "scope '" + scope + "'; " + quoted;
                break;
            case "500011": case "500014":
                problem = AuthProblem.INVALID_SCOPE;
                detail = "the resource of scope '" + scope + "' is not known in the tenant; " + quoted;
                break;
            case "7000216": case "900144": case "50049": case "90014":
                problem = AuthProblem.CONFIGURATION_INVALID;
                detail = quoted;
                break;
            default:
                if (status >= 500 || status == 429 || status == 0 && code.isEmpty()) {
                    problem = AuthProblem.SERVICE_UNAVAILABLE;
                    detail = "the token endpoint answered " + (status == 0 ? "no usable response" : "HTTP " + status)
                            + " (msal4j already retried)";
                } else if ("invalid_client".equals(e.errorCode())) {
                    problem = settings.usesCertificate() ? AuthProblem.INVALID_CERTIFICATE : AuthProblem.INVALID_SECRET;
                    detail = quoted;
                } else {
                    problem = AuthProblem.CONFIGURATION_INVALID;
                    detail = "HTTP " + status + " " + e.errorCode() + "; " + quoted;
                }
        }
        return new AuthException(registration, problem, detail, null);
    }

    private static Throwable rootOf(Throwable t) {
        Throwable cursor = t;
        for (int i = 0; i < 10 && cursor != null; i++) {
            if (cursor instanceof SSLException || cursor instanceof ConnectException || cursor instanceof UnknownHostException
                    || cursor instanceof SocketTimeoutException || cursor instanceof HttpTimeoutException) {
                return cursor;
            }
            cursor = cursor.getCause();
        }
        return t;
    }

    /** Entra's descriptions run on with trace and correlation ids; the first sentence is the useful part. */
    static String firstSentence(String text) {
        if (text == null) {
            return "";
        }
        String line = text.lines().findFirst().orElse("").trim();
        int end = line.indexOf(". ");
        return end > 0 ? line.substring(0, end + 1) : line;
    }
}
