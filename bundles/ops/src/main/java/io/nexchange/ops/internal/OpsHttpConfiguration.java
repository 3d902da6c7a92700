package io.nexchange.ops.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Nexchange operator endpoint",
        description = "The HTTP endpoint (Felix HTTP) of the web console, /health, /metrics, /status and the remote console. "
                + "On loopback no login is asked; on any other address every page but /health asks for the operator token.")
@interface OpsHttpConfiguration {
    @AttributeDefinition(description = "Address to listen on. 127.0.0.1 keeps it local to this host; any other address "
            + "makes the console ask for a login.")
    String host() default "127.0.0.1";

    @AttributeDefinition(description = "TCP port.")
    int port() default 8181;

    @AttributeDefinition(description = "File holding the operator token: the login of the web console and what /console and "
            + "API clients present (X-Nexchange-Token or Authorization: Bearer). Created with owner-only permissions when "
            + "missing. Relative paths are below the instance directory.")
    String tokenFile() default "data/ops.token";

    @AttributeDefinition(description = "Ask for a login on loopback too (on any other address a login is always required).")
    boolean requireLogin() default false;

    @AttributeDefinition(description = "Minutes after which an idle console login ends.")
    int sessionIdleMinutes() default 30;
}
