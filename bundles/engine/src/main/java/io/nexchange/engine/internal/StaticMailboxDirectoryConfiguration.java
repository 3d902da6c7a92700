package io.nexchange.engine.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Nexchange mailbox list",
        description = "The mailboxes in scope, listed in configuration (the Graph /users directory comes with the Graph bundles).")
public @interface StaticMailboxDirectoryConfiguration {
    @AttributeDefinition(description = "Primary SMTP addresses, optionally 'address|Display Name'; comma-separated or one per value.",
            cardinality = Integer.MAX_VALUE)
    String[] mailboxes() default {};

    @AttributeDefinition(name = "service.ranking", description = "Which directory the engine uses when several exist.")
    int service_ranking() default -10;
}
