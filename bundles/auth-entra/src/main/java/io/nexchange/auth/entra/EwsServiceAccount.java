package io.nexchange.auth.entra;

import io.nexchange.api.auth.Secret;
import java.net.URI;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The service account an on-premises Exchange server's EWS is called with (HTTP Basic or NTLM, with
 * {@code ExchangeImpersonation} of each mailbox). One service per factory configuration of
 * {@code io.nexchange.auth.ews.onprem}, with the service property
 * {@value io.nexchange.api.auth.TokenProvider#REGISTRATION} naming it, so that it sits in the same
 * "admin account" model as the Entra app registrations.
 *
 * <p>Thread-safe. A rotated password in the configuration is returned by the next {@link #password()} call.
 */
@ProviderType
public interface EwsServiceAccount {
    /** The account's name, as configured (the same service property as the Entra registrations). */
    String name();

    /** The EWS endpoint, e.g. {@code https://mail.example.com/EWS/Exchange.asmx}. */
    URI ewsUrl();

    /** The login name: a UPN ({@code svc-sync@example.com}) or a plain user name with {@link #domain()}. */
    String username();

    /** The NT domain for NTLM, or empty when {@link #username()} is a UPN. */
    String domain();

    /** The password; prints masked. */
    Secret password();
}
