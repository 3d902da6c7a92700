package io.nexchange.graph.client.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Nexchange Graph clients", description = "How Microsoft Graph is reached: base URL,"
        + " trust, timeouts, and how long a request may wait for a throttling permit.")
public @interface GraphClientsConfiguration {

    @AttributeDefinition(description = "Graph base URL with API version. Change only for national clouds or the sandbox"
            + " (its graphBaseUrl, e.g. https://127.0.0.1:8443/v1.0).")
    String baseUrl() default GraphClientSettings.GRAPH_V1;

    @AttributeDefinition(description = "PKCS#12 truststore to trust instead of the JVM's (the sandbox writes"
            + " sandbox-truststore.p12 in its state dir). Empty: the JVM's trust store.")
    String truststorePath() default "";

    @AttributeDefinition(type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD,
            description = "Password of the truststore.")
    String truststorePassword() default "";

    @AttributeDefinition(description = "File holding the truststore password (preferred over truststorePassword; the"
            + " sandbox writes sandbox-truststore.password). Empty: use truststorePassword.")
    String truststorePasswordFile() default "";

    @AttributeDefinition(description = "Connect timeout (TCP + TLS), seconds.")
    int connectTimeoutSeconds() default 10;

    @AttributeDefinition(description = "Read timeout between bytes of a response, seconds.")
    int readTimeoutSeconds() default 100;

    @AttributeDefinition(description = "Timeout of a whole call including the wait for a throttling permit, seconds;"
            + " at least throttleMaxWaitSeconds + readTimeoutSeconds.")
    int callTimeoutSeconds() default 180;

    @AttributeDefinition(description = "How long a request waits for a throttling permit of its mailbox before it is"
            + " not sent (answered locally with 429, the mailbox is rescheduled), seconds.")
    int throttleMaxWaitSeconds() default 30;
}
