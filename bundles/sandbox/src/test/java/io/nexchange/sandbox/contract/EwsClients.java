package io.nexchange.sandbox.contract;

import io.nexchange.sandbox.SandboxServer;
import java.net.URI;
import java.security.GeneralSecurityException;
import javax.net.ssl.TrustManager;
import microsoft.exchange.webservices.data.core.EwsSSLProtocolSocketFactory;
import microsoft.exchange.webservices.data.core.ExchangeService;
import microsoft.exchange.webservices.data.core.enumeration.misc.ConnectingIdType;
import microsoft.exchange.webservices.data.core.enumeration.misc.ExchangeVersion;
import microsoft.exchange.webservices.data.credential.WebCredentials;
import microsoft.exchange.webservices.data.misc.ImpersonatedUserId;
import org.apache.http.config.Registry;
import org.apache.http.config.RegistryBuilder;
import org.apache.http.conn.socket.ConnectionSocketFactory;
import org.apache.http.conn.socket.PlainConnectionSocketFactory;

/**
 * ews-java-api 2.0 set up as a product would set it up against Exchange Online (Bearer token,
 * X-AnchorMailbox, impersonation) or on-prem (Basic), trusting exactly the sandbox truststore.
 *
 * <p>The library builds its HttpClient in the ExchangeServiceBase constructor from the protected
 * {@code createConnectionSocketFactoryRegistry()}, whose default HTTPS factory trusts only the JDK's
 * cacerts. The supported hook is to override that method; since it runs before a subclass' fields are
 * set, the trust manager is handed over through a thread-local for the duration of the constructor.
 * Hostname verification stays on (the library's DefaultHostnameVerifier; the certificate names
 * 127.0.0.1).
 */
final class EwsClients {
    private static final ThreadLocal<TrustManager> CONSTRUCTING = new ThreadLocal<>();

    private EwsClients() {
    }

    static final class TrustingExchangeService extends ExchangeService {
        private TrustingExchangeService(ExchangeVersion version) {
            super(version);
        }

        @Override
        protected Registry<ConnectionSocketFactory> createConnectionSocketFactoryRegistry() {
            try {
                return RegistryBuilder.<ConnectionSocketFactory>create()
                        .register("http", new PlainConnectionSocketFactory())
                        .register("https", EwsSSLProtocolSocketFactory.build(CONSTRUCTING.get()))
                        .build();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static ExchangeService service(SandboxServer sandbox) throws Exception {
        CONSTRUCTING.set(Clients.trust(sandbox).trustManager());
        try {
            ExchangeService s = new TrustingExchangeService(ExchangeVersion.Exchange2010_SP2);
            s.setUrl(new URI(sandbox.ewsUrl()));
            return s;
        } finally {
            CONSTRUCTING.remove();
        }
    }

    /** Exchange Online style: app-only token, X-AnchorMailbox and impersonation of {@code smtp}. */
    static ExchangeService oauth(SandboxServer sandbox, String token, String smtp) throws Exception {
        ExchangeService s = service(sandbox);
        s.getHttpHeaders().put("Authorization", "Bearer " + token);
        s.getHttpHeaders().put("X-AnchorMailbox", smtp);
        s.setImpersonatedUserId(new ImpersonatedUserId(ConnectingIdType.SmtpAddress, smtp));
        return s;
    }

    /** On-prem style: Basic service account, impersonating {@code smtp} when it is not null. */
    static ExchangeService basic(SandboxServer sandbox, String user, String password, String smtp) throws Exception {
        ExchangeService s = service(sandbox);
        s.setCredentials(new WebCredentials(user, password));
        if (smtp != null) {
            s.setImpersonatedUserId(new ImpersonatedUserId(ConnectingIdType.SmtpAddress, smtp));
        }
        return s;
    }
}
