package io.nexchange.auth.entra.internal;

import io.nexchange.api.auth.AuthException;
import io.nexchange.api.auth.AuthProblem;
import io.nexchange.api.auth.Secret;
import io.nexchange.auth.entra.EwsServiceAccount;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** An {@link EwsServiceAccount} read from one configuration, checked when it is read. */
record EwsOnPremAccount(String name, URI ewsUrl, String username, String domain, Secret password) implements EwsServiceAccount {

    static EwsOnPremAccount parse(EwsOnPremConfiguration c, UndeclaredKeys undeclared, UnaryOperator<String> environment)
            throws AuthException {
        String name = RegistrationSettings.registrationName(c.registration(), undeclared);
        List<String> problems = new ArrayList<>();
        String url = SecretSources.text(c.ewsUrl());
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
        String username = SecretSources.text(c.username());
        if (username.isEmpty()) {
            problems.add("username is not set");
        }
        Optional<Secret> password = Optional.empty();
        try {
            password = SecretSources.resolve("password", c._password(), undeclared.password(), c.passwordFile(), c.passwordEnv(),
                    environment);
            if (password.isEmpty()) {
                problems.add("no password: set passwordFile, passwordEnv or .password");
            }
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new AuthException(name, AuthProblem.CONFIGURATION_INVALID, String.join("; ", problems));
        }
        return new EwsOnPremAccount(name, ewsUrl, username, SecretSources.text(c.domain()), password.get());
    }

    @Override
    public String toString() {
        return "EwsServiceAccount[" + name + ", " + (domain.isEmpty() ? "" : domain + "\\") + username + " at " + ewsUrl + "]";
    }
}
