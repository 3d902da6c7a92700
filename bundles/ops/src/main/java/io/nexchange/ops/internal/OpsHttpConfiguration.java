package io.nexchange.ops.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Nexchange operator endpoint",
        description = "HTTP endpoint for /health, /metrics, /status and the remote console. Keep it on loopback or behind a proxy.")
@interface OpsHttpConfiguration {
    @AttributeDefinition(description = "Address to listen on. 127.0.0.1 keeps it local to this host.")
    String host() default "127.0.0.1";

    @AttributeDefinition(description = "TCP port.")
    int port() default 8181;

    @AttributeDefinition(description = "File holding the token that /console requires (X-Nexchange-Token); created "
            + "with owner-only permissions when missing. Relative paths are below the instance directory.")
    String tokenFile() default "data/ops.token";
}
