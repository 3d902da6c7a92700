/**
 * The Nexchange sandbox: an emulator of Entra ID and Microsoft Graph and EWS on loopback.
 */
module io.nexchange.sandbox {
    requires static osgi.annotation;
    requires static org.osgi.service.component.annotations;
    requires static org.osgi.service.metatype.annotations;
    requires static org.slf4j;
    requires osgi.core;
    requires jdk.httpserver;
    requires java.desktop;
    requires java.xml;
    requires com.fasterxml.jackson.databind;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.pkix;

    // no exports, as in the bundle's manifest: tests, benchmarks and the sandbox's own process use it from the class
    // path, and inside the framework only its own component does (see io.nexchange.sandbox's package-info)

    opens io.nexchange.sandbox.internal.store to com.fasterxml.jackson.databind;
    opens io.nexchange.sandbox to com.fasterxml.jackson.databind;
}
