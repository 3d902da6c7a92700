package io.nexchange.ews.internal;

import io.nexchange.api.auth.AuthException;
import io.nexchange.api.auth.TokenProvider;
import io.nexchange.api.source.StoreException;
import io.nexchange.auth.entra.EwsServiceAccount;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * How requests for one registration are authenticated and where they go: app-only OAuth from an Entra app
 * registration (Exchange Online: Bearer token for {@value TokenProvider#EWS_SCOPE}, {@code full_access_as_app},
 * {@code X-AnchorMailbox}) or an on-premises service account (HTTP Basic at its own EWS URL, with the
 * ApplicationImpersonation role). Both impersonate the mailbox with {@code ExchangeImpersonation}.
 */
interface EwsCredentials {

    /** The registration or service account name: the throttling key's first half. */
    String registration();

    /** The EWS endpoint. */
    URI endpoint();

    /** Whether this is app-only OAuth (Exchange Online); the answers to 401/403 differ. */
    boolean oauth();

    /** The {@code Authorization} header value; never logged. */
    String authorization() throws StoreException;

    /** Exchange Online: a token from the registration's TokenProvider. */
    record OAuth(TokenProvider tokens, URI endpoint) implements EwsCredentials {
        @Override
        public String registration() {
            return tokens.registration();
        }

        @Override
        public boolean oauth() {
            return true;
        }

        @Override
        public String authorization() throws StoreException {
            try {
                return "Bearer " + tokens.token(TokenProvider.EWS_SCOPE).value().reveal();
            } catch (AuthException e) {
                throw new StoreException("No EWS token for app registration '" + tokens.registration() + "': " + e.getMessage(),
                        e.isTransient(), e);
            }
        }
    }

    /** On-premises: the service account of {@code io.nexchange.auth.ews.onprem}, HTTP Basic over TLS. */
    record ServiceAccount(EwsServiceAccount account) implements EwsCredentials {
        @Override
        public String registration() {
            return account.name();
        }

        @Override
        public URI endpoint() {
            return account.ewsUrl();
        }

        @Override
        public boolean oauth() {
            return false;
        }

        @Override
        public String authorization() {
            String user = account.domain().isEmpty() ? account.username() : account.domain() + "\\" + account.username();
            String pair = user + ":" + account.password().reveal();
            return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        }
    }
}
