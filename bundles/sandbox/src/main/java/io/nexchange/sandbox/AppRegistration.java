package io.nexchange.sandbox;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * An Entra app registration of the sandbox tenant: client id, credentials (a client secret with an
 * expiry and/or certificates), the Graph application roles granted, and whether an admin consented
 * (without consent tokens carry no {@code roles} and Graph answers 403).
 */
public final class AppRegistration {
    /**
     * The roles the product needs, granted to the demo app. GroupMember.Read.All lets the mailbox directory limit
     * the synced mailboxes to a group's members (Graph's least privileged role for /groups/{id}/transitiveMembers).
     */
    public static final Set<String> DEFAULT_ROLES = Collections.unmodifiableSet(
            new LinkedHashSet<>(List.of("Calendars.ReadWrite", "Contacts.ReadWrite", "User.Read.All", "GroupMember.Read.All")));

    private final String clientId;
    private final String displayName;
    private final String clientSecret;
    private final Instant secretExpiresAt;
    private final List<X509Certificate> certificates;
    private final Set<String> roles;
    private final boolean adminConsent;
    private final boolean ewsFullAccess;

    private AppRegistration(Builder b) {
        this.clientId = b.clientId != null ? b.clientId : UUID.randomUUID().toString();
        this.displayName = b.displayName;
        this.clientSecret = b.clientSecret;
        this.secretExpiresAt = b.secretExpiresAt;
        this.certificates = List.copyOf(b.certificates);
        this.roles = Collections.unmodifiableSet(new LinkedHashSet<>(b.roles));
        this.adminConsent = b.adminConsent;
        this.ewsFullAccess = b.ewsFullAccess;
    }

    public static Builder builder(String displayName) {
        return new Builder(displayName);
    }

    public String clientId() {
        return clientId;
    }

    public String displayName() {
        return displayName;
    }

    /** The client secret, or null for a certificate-only app. Sandbox-only: tests need the value. */
    public String clientSecret() {
        return clientSecret;
    }

    public Instant secretExpiresAt() {
        return secretExpiresAt;
    }

    public List<X509Certificate> certificates() {
        return certificates;
    }

    public Set<String> roles() {
        return roles;
    }

    public boolean adminConsent() {
        return adminConsent;
    }

    public boolean ewsFullAccess() {
        return ewsFullAccess;
    }

    @Override
    public String toString() {
        return "AppRegistration[" + displayName + ", clientId=" + clientId + ", roles=" + roles
                + ", adminConsent=" + adminConsent + ", secret=" + (clientSecret == null ? "none" : "***") + "]";
    }

    /** Builds an {@link AppRegistration}. */
    public static final class Builder {
        private final String displayName;
        private String clientId;
        private String clientSecret;
        private Instant secretExpiresAt = Instant.parse("2099-12-31T00:00:00Z");
        private final List<X509Certificate> certificates = new ArrayList<>();
        private Set<String> roles = new LinkedHashSet<>(DEFAULT_ROLES);
        private boolean adminConsent = true;
        private boolean ewsFullAccess = true;

        private Builder(String displayName) {
            this.displayName = displayName;
        }

        public Builder clientId(String id) {
            this.clientId = id;
            return this;
        }

        public Builder clientSecret(String secret) {
            this.clientSecret = secret;
            return this;
        }

        public Builder secretExpiresAt(Instant expiry) {
            this.secretExpiresAt = expiry;
            return this;
        }

        public Builder certificate(X509Certificate certificate) {
            this.certificates.add(certificate);
            return this;
        }

        public Builder roles(Set<String> granted) {
            this.roles = new LinkedHashSet<>(granted);
            return this;
        }

        public Builder adminConsent(boolean consented) {
            this.adminConsent = consented;
            return this;
        }

        public Builder ewsFullAccess(boolean granted) {
            this.ewsFullAccess = granted;
            return this;
        }

        public AppRegistration build() {
            return new AppRegistration(this);
        }
    }
}
