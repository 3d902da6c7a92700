package io.nexchange.sandbox.internal.ews;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * An on-premises style service account for Basic authentication, with or without the
 * ApplicationImpersonation RBAC role. Sandbox-only; the password never appears in toString.
 */
public final class EwsServiceAccount {
    private final String username;
    private final byte[] password;
    private final boolean impersonation;

    public EwsServiceAccount(String username, String password, boolean impersonation) {
        this.username = username;
        this.password = password.getBytes(StandardCharsets.UTF_8);
        io.nexchange.sandbox.internal.SecretLedger.record("sandbox EWS service account password", password);
        this.impersonation = impersonation;
    }

    public String username() {
        return username;
    }

    public boolean mayImpersonate() {
        return impersonation;
    }

    boolean matches(String user, String pass) {
        // constant time on the password, so the sandbox does not model a timing oracle
        return username.equalsIgnoreCase(user) && MessageDigest.isEqual(password, pass.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "EwsServiceAccount[" + username + ", impersonation=" + impersonation + "]";
    }
}
