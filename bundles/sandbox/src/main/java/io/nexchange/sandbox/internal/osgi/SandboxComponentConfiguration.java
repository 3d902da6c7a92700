package io.nexchange.sandbox.internal.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Nexchange sandbox (Microsoft 365 emulator)",
        description = "Starts an emulated Entra ID + Microsoft Graph tenant over HTTPS on 127.0.0.1, for the demo and tests.")
@interface SandboxComponentConfiguration {
    @AttributeDefinition(description = "TCP port on 127.0.0.1; 0 picks a free port (see sandbox.properties in the state dir).")
    int port() default 0;

    @AttributeDefinition(description = "Number of generated mailboxes.")
    int users() default 5;

    @AttributeDefinition(description = "Seed of the tenant generator; the same seed gives the same tenant.")
    long seed() default 1;

    @AttributeDefinition(description = "Directory for the truststore, the demo client secret and sandbox.properties.")
    String stateDir() default "data/sandbox";

    @AttributeDefinition(description = "Events generated per mailbox.")
    int eventsPerMailbox() default 40;

    @AttributeDefinition(description = "Contacts generated per mailbox.")
    int contactsPerMailbox() default 20;

    @AttributeDefinition(description = "Share of empty/small/busy mailboxes in percent, e.g. 80/15/5 (small: an eighth of the "
            + "events and contacts per mailbox). 0/0/100: every mailbox busy.")
    String mailboxMix() default "0/0/100";

    @AttributeDefinition(description = "How many generated, unchanged mailboxes stay in memory; others are generated again on use.")
    int cachedMailboxes() default 1000;

    @AttributeDefinition(description = "Concurrent requests allowed per (app, mailbox) before 429 (Outlook: 4).")
    int throttleMaxConcurrent() default 4;

    @AttributeDefinition(description = "Requests allowed per (app, mailbox) per window (Outlook: 10000).")
    int throttleWindowRequests() default 10000;

    @AttributeDefinition(description = "Length of the throttling window in seconds (Outlook: 600).")
    int throttleWindowSeconds() default 600;

    @AttributeDefinition(description = "Retry-After value sent with 429 answers, in seconds (fractions allowed).")
    String throttleRetryAfter() default "2.128";

    @AttributeDefinition(description = "expires_in of issued access tokens, in seconds.")
    int tokenLifetimeSeconds() default 3599;
}
