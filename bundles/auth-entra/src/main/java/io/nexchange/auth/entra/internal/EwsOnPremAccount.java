package io.nexchange.auth.entra.internal;

import io.nexchange.api.auth.AuthException;
import io.nexchange.api.auth.AuthProblem;
import io.nexchange.api.auth.Secret;
import io.nexchange.auth.entra.EwsServiceAccount;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** An {@link EwsServiceAccount} read from one configuration, checked when it is read. */
record EwsOnPremAccount(String name, URI ewsUrl, String username, String domain, Secret password) implements EwsServiceAccount {

    static EwsOnPremAccount parse(Map<String, ?> p, UnaryOperator<String> environment) throws AuthException {
        String name = RegistrationSettings.registrationName(p);
        List<String> problems = new ArrayList<>();
        String url = SecretSources.text(p.get("ewsUrl"));
        URI ewsUrl = null;
        if (url.isEmpty()) {
            problems.add("ewsUrl is not set (e.g. https://mail.example.com/EWS/Exchange.asmx)");
        } else {
            try {
                ewsUrl = URI.create(url);
                if (!"https".equalsIgnoreCase(ewsUrl.getScheme())) {
                    problems.add("ewsUrl must use https: the password is sent with every request");
                }
            } catch (IllegalArgumentException e) {
                problems.add("ewsUrl '" + url + "' is not a URL");
            }
        }
        String username = SecretSources.text(p.get("username"));
        if (username.isEmpty()) {
            problems.add("username is not set");
        }
        Optional<Secret> password = Optional.empty();
        try {
            password = new SecretSources(p, environment).resolve("password");
            if (password.isEmpty()) {
                problems.add("no password: set passwordFile, passwordEnv or .password");
            }
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new AuthException(name, AuthProblem.CONFIGURATION_INVALID, String.join("; ", problems));
        }
        return new EwsOnPremAccount(name, ewsUrl, username, SecretSources.text(p.get("domain")), password.get());
    }

    @Override
    public String toString() {
        return "EwsServiceAccount[" + name + ", " + (domain.isEmpty() ? "" : domain + "\\") + username + " at " + ewsUrl + "]";
    }
}
