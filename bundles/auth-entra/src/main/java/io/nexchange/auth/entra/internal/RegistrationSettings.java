package io.nexchange.auth.entra.internal;

import io.nexchange.api.auth.AuthException;
import io.nexchange.api.auth.AuthProblem;
import io.nexchange.api.auth.Secret;
import io.nexchange.api.auth.TokenProvider;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * One app registration's configuration, checked: everything {@link EntraRegistrationConfiguration}
 * describes, with the secrets resolved (the dotted keys are declared there as {@code _clientSecret} etc.).
 */
record RegistrationSettings(
        String registration,
        String tenantId,
        String clientId,
        Optional<Secret> clientSecret,
        String secretSource,
        Optional<LocalDate> secretExpires,
        Optional<Path> certificateFile,
        Optional<Secret> certificatePassword,
        Cloud cloud,
        String authority,
        String graphBaseUrl,
        Optional<Path> truststore,
        Optional<Secret> truststorePassword,
        List<String> scopes,
        Duration refreshAhead,
        Optional<String> probeMailbox) {

    static final List<String> REQUIRED_GRAPH_ROLES = List.of("Calendars.ReadWrite", "Contacts.ReadWrite", "User.Read.All");

    boolean usesCertificate() {
        return certificateFile.isPresent();
    }

    /** The registration's name: {@code registration}, else the factory configuration's name. */
    static String registrationName(String registration, UndeclaredKeys origin) {
        String name = SecretSources.text(registration);
        if (!name.isEmpty()) {
            return name;
        }
        // Felix FileInstall: etc/io.nexchange.auth.entra-contoso.cfg becomes the named factory configuration
        // io.nexchange.auth.entra~contoso
        String pid = SecretSources.text(origin.service_pid());
        int tilde = pid.indexOf('~');
        if (tilde >= 0) {
            return pid.substring(tilde + 1);
        }
        String file = SecretSources.text(origin.felix_fileinstall_filename());
        int dash = file.lastIndexOf('-');
        if (dash >= 0 && file.endsWith(".cfg")) {
            return file.substring(dash + 1, file.length() - 4);
        }
        return pid.isEmpty() ? "default" : pid;
    }

    /**
     * @throws AuthException {@link AuthProblem#CONFIGURATION_INVALID}, naming the key to fix
     */
    static RegistrationSettings parse(EntraRegistrationConfiguration c, UndeclaredKeys undeclared, UnaryOperator<String> environment)
            throws AuthException {
        String registration = registrationName(c.registration(), undeclared);
        List<String> problems = new ArrayList<>();
        String tenantId = SecretSources.text(c.tenantId());
        String clientId = SecretSources.text(c.clientId());
        if (tenantId.isEmpty()) {
            problems.add("tenantId is not set (the Directory (tenant) ID from the app registration's Overview page)");
        }
        if (clientId.isEmpty()) {
            problems.add("clientId is not set (the Application (client) ID from the app registration's Overview page)");
        } else if (!isGuid(clientId)) {
            problems.add("clientId '" + clientId + "' is not a GUID: copy the Application (client) ID, not the app's name or object ID");
        }
        Optional<Secret> clientSecret = Optional.empty();
        Optional<Secret> certificatePassword = Optional.empty();
        Optional<Secret> truststorePassword = Optional.empty();
        try {
            clientSecret = SecretSources.resolve("clientSecret", c._clientSecret(), undeclared.clientSecret(), c.clientSecretFile(),
                    c.clientSecretEnv(), environment);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        try {
            certificatePassword = SecretSources.resolve("certificatePassword", c._certificatePassword(),
                    undeclared.certificatePassword(), c.certificatePasswordFile(), c.certificatePasswordEnv(), environment);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        try {
            truststorePassword = SecretSources.resolve("truststorePassword", c._truststorePassword(),
                    undeclared.truststorePassword(), c.truststorePasswordFile(), undeclared.truststorePasswordEnv(), environment);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        String secretFile = SecretSources.text(c.clientSecretFile());
        String secretEnv = SecretSources.text(c.clientSecretEnv());
        String secretSource = !secretFile.isEmpty() ? "file " + secretFile : !secretEnv.isEmpty() ? "environment variable " + secretEnv : "inline";
        Optional<Path> certificateFile = optionalPath("certificateFile", c.certificateFile(), problems);
        if (certificateFile.isPresent() && clientSecret.isPresent()) {
            problems.add("both a client secret and certificateFile are set: keep one");
        } else if (certificateFile.isEmpty() && clientSecret.isEmpty() && problems.stream().noneMatch(s -> s.startsWith("clientSecret"))) {
            problems.add("no credential: set clientSecretFile (or clientSecretEnv, or .clientSecret) to the client secret's Value, "
                    + "or certificateFile to the certificate with its private key");
        }
        Optional<LocalDate> secretExpires = Optional.empty();
        String expires = SecretSources.text(c.clientSecretExpires());
        if (!expires.isEmpty()) {
            try {
                secretExpires = Optional.of(LocalDate.parse(expires.length() > 10 ? expires.substring(0, 10) : expires));
            } catch (DateTimeParseException e) {
                problems.add("clientSecretExpires '" + expires + "' is not a date like 2027-03-31");
            }
        }
        Cloud cloud = Cloud.GLOBAL;
        try {
            cloud = Cloud.parse(SecretSources.text(c.cloud()));
        } catch (IllegalArgumentException e) {
            problems.add("cloud '" + e.getMessage() + "' is not one of global, usgov, china, custom");
        }
        String authority = SecretSources.text(c.authority());
        if (cloud == Cloud.CUSTOM) {
            if (authority.isEmpty()) {
                problems.add("cloud=custom needs authority (https://host/{tenant}/)");
            } else if (!authority.toLowerCase(Locale.ROOT).startsWith("https://")) {
                problems.add("authority '" + authority + "' must start with https:// (msal4j accepts no other)");
            }
            authority = authority.replace("{tenant}", tenantId);
            if (!authority.endsWith("/")) {
                authority += "/";
            }
        } else {
            if (!authority.isEmpty()) {
                problems.add("authority is only used with cloud=custom; remove it or set cloud=custom");
            }
            authority = cloud.authority(tenantId);
        }
        String graphBaseUrl = SecretSources.text(c.graphBaseUrl());
        if (graphBaseUrl.isEmpty()) {
            graphBaseUrl = cloud.graphBaseUrl();
            if (graphBaseUrl == null) {
                problems.add("cloud=custom needs graphBaseUrl");
                graphBaseUrl = "";
            }
        }
        graphBaseUrl = stripSlash(stripSuffix(stripSlash(graphBaseUrl), "/v1.0"));
        if (!graphBaseUrl.isEmpty()) {
            try {
                URI.create(graphBaseUrl);
            } catch (IllegalArgumentException e) {
                problems.add("graphBaseUrl '" + graphBaseUrl + "' is not a URL");
            }
        }
        Optional<Path> truststore = optionalPath("truststore", c.truststore(), problems);
        List<String> scopes = new ArrayList<>();
        // one value per scope, or several in one comma-separated value (a .cfg line)
        for (String value : c.scopes() == null ? new String[0] : c.scopes()) {
            scopes.addAll(List.of(SecretSources.text(value).split(",")));
        }
        scopes.replaceAll(String::trim);
        scopes.removeIf(String::isEmpty);
        if (scopes.isEmpty()) {
            scopes.add(TokenProvider.GRAPH_SCOPE);
        }
        for (String scope : scopes) {
            if (!scope.endsWith("/.default")) {
                problems.add("scope '" + scope + "' must end with /.default (app-only tokens carry the application permissions)");
            }
        }
        long refreshAhead = 300;
        try {
            refreshAhead = c.refreshAheadSeconds();
        } catch (RuntimeException notANumber) {
            // Configuration Admin could not make an int of the configured text
            problems.add("refreshAheadSeconds is not a whole number of seconds");
        }
        String probe = SecretSources.text(c.probeMailbox());
        if (!problems.isEmpty()) {
            throw new AuthException(registration, AuthProblem.CONFIGURATION_INVALID, String.join("; ", problems));
        }
        return new RegistrationSettings(registration, tenantId, clientId, clientSecret, secretSource, secretExpires, certificateFile,
                certificatePassword, cloud, authority, graphBaseUrl, truststore, truststorePassword, List.copyOf(scopes),
                Duration.ofSeconds(Math.max(1, refreshAhead)), probe.isEmpty() ? Optional.empty() : Optional.of(probe));
    }

    /** Whether a new configuration talks to the same identity (tokens issued under the old one stay valid). */
    boolean sameIdentity(RegistrationSettings other) {
        return tenantId.equalsIgnoreCase(other.tenantId) && clientId.equalsIgnoreCase(other.clientId)
                && authority.equalsIgnoreCase(other.authority);
    }

    /** One line for logs and the console: no secret, only where it comes from. */
    String describe() {
        return "tenant " + tenantId + ", client " + clientId + ", credential "
                + (usesCertificate() ? "certificate " + certificateFile.get() : "client secret (" + secretSource + ")")
                + ", authority " + authority + ", Graph " + graphBaseUrl;
    }

    private static Optional<Path> optionalPath(String key, String configured, List<String> problems) {
        String value = SecretSources.text(configured);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        Path path = Path.of(value);
        if (!Files.isReadable(path)) {
            problems.add(key + " " + path + " does not exist or cannot be read");
        }
        return Optional.of(path);
    }

    private static boolean isGuid(String value) {
        try {
            return UUID.fromString(value).toString().equalsIgnoreCase(value);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static String stripSuffix(String s, String suffix) {
        return s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
    }

    @Override
    public String toString() {
        return "RegistrationSettings[" + registration + ": " + describe() + "]";
    }
}
