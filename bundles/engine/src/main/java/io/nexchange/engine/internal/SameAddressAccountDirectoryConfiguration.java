package io.nexchange.engine.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Nexchange accounts named after mailboxes",
        description = "Every mailbox maps to an account named after its address: for local vdir targets and the demo.")
public @interface SameAddressAccountDirectoryConfiguration {
    @AttributeDefinition(description = "'address' (alice@example.org) or 'localpart' (alice) as the account's user id.")
    String userId() default "address";

    @AttributeDefinition(name = "service.ranking", description = "Which directory the engine uses when several exist.")
    int service_ranking() default -10;
}
