package io.nexchange.sandbox.contract;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IClientCredential;
import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import io.nexchange.sandbox.SandboxServer;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Microsoft's client libraries, configured as a product would configure them against a real tenant,
 * except for the authority / base URL and the truststore (loaded from the file the sandbox wrote).
 */
final class Clients {
    static final String GRAPH_SCOPE = "https://graph.microsoft.com/.default";

    private Clients() {
    }

    /** Trust exactly what is in the sandbox's PKCS#12 truststore file. */
    static TrustMaterial trust(SandboxServer sandbox) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(sandbox.truststorePath())) {
            ks.load(in, sandbox.truststorePassword());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return new TrustMaterial(ctx, (X509TrustManager) tmf.getTrustManagers()[0]);
    }

    record TrustMaterial(SSLContext context, X509TrustManager trustManager) {
    }

    static ConfidentialClientApplication msal(SandboxServer sandbox, String clientId, IClientCredential credential, String authority)
            throws Exception {
        return ConfidentialClientApplication.builder(clientId, credential)
                .authority(authority)
                .instanceDiscovery(false)
                .sslSocketFactory(trust(sandbox).context().getSocketFactory())
                .build();
    }

    static ConfidentialClientApplication msalWithSecret(SandboxServer sandbox, String clientId, String secret) throws Exception {
        return msal(sandbox, clientId, ClientCredentialFactory.createFromSecret(secret), sandbox.authority());
    }

    static String token(ConfidentialClientApplication app) throws Exception {
        try {
            return app.acquireToken(ClientCredentialParameters.builder(Set.of(GRAPH_SCOPE)).build()).get().accessToken();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    /** A GraphServiceClient whose tokens come from msal4j and whose OkHttp trusts the sandbox's truststore. */
    static GraphServiceClient graph(SandboxServer sandbox, ConfidentialClientApplication app) throws Exception {
        AccessTokenProvider tokens = new AccessTokenProvider() {
            @Override
            public String getAuthorizationToken(URI uri, Map<String, Object> additionalContext) {
                try {
                    return token(app);
                } catch (Exception e) {
                    throw new IllegalStateException("token", e);
                }
            }

            @Override
            public AllowedHostsValidator getAllowedHostsValidator() {
                return new AllowedHostsValidator();
            }
        };
        BaseBearerTokenAuthenticationProvider auth = new BaseBearerTokenAuthenticationProvider(tokens);
        TrustMaterial trust = trust(sandbox);
        OkHttpClient http = GraphClientFactory.create().sslSocketFactory(trust.context().getSocketFactory(), trust.trustManager()).build();
        GraphServiceClient client = new GraphServiceClient(auth, http);
        client.getRequestAdapter().setBaseUrl(sandbox.graphBaseUrl());
        return client;
    }

    static GraphServiceClient demoGraph(SandboxServer sandbox) throws Exception {
        return graph(sandbox, msalWithSecret(sandbox, sandbox.demoApp().clientId(), sandbox.demoApp().clientSecret()));
    }

    record Certificate(KeyPair keys, X509Certificate certificate) {
    }

    static Certificate selfSigned(String cn) throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        KeyPair keys = gen.generateKeyPair();
        X500Name name = new X500Name("CN=" + cn);
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(1, ChronoUnit.DAYS)),
                Date.from(now.plus(30, ChronoUnit.DAYS)), name, keys.getPublic());
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
        return new Certificate(keys, cert);
    }
}
