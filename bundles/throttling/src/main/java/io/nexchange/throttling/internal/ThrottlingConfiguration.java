package io.nexchange.throttling.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of {@link ThrottlingComponent} (PID {@code io.nexchange.throttling}, file etc/io.nexchange.throttling.cfg). */
@ObjectClassDefinition(name = "Nexchange throttling",
        description = "Limits applied per app registration and mailbox to every Graph and EWS request. The defaults are"
                + " Outlook's documented limits; changes apply live without dropping requests in flight or budgets.")
public @interface ThrottlingConfiguration {

    @AttributeDefinition(name = "Concurrent requests per mailbox",
            description = "Requests in flight at once per app registration and mailbox. Outlook allows 4.")
    int maxConcurrent() default 4;

    @AttributeDefinition(name = "Requests per window",
            description = "Requests the server allows per app registration and mailbox per window. Outlook: 10000 per 600 s.")
    int requestsPerWindow() default 10_000;

    @AttributeDefinition(name = "Window (seconds)", description = "Length of the server's counting window. Outlook: 600.")
    long windowSeconds() default 600;

    @AttributeDefinition(name = "Safety margin",
            description = "Fraction of the budget left unused, for other clients of the same app registration and clock"
                    + " differences with the server: 0.01 admits at most 99 % of requestsPerWindow.")
    double safetyMargin() default 0.01;

    @AttributeDefinition(name = "Budget buckets",
            description = "How finely the window is counted. Sustained throughput is buckets / (buckets + 2) of the budget;"
                    + " each key keeps buckets + 2 counters while active.")
    int budgetBuckets() default 120;

    @AttributeDefinition(name = "Back-off base (ms)",
            description = "First pause after a throttling answer without Retry-After; doubles with each further one.")
    long backoffBaseMillis() default 1_000;

    @AttributeDefinition(name = "Back-off maximum (ms)", description = "Ceiling of the exponential back-off.")
    long backoffMaxMillis() default 120_000;

    @AttributeDefinition(name = "Jitter",
            description = "Randomise back-off pauses (uniform between 0 and the exponential ceiling) so that mailboxes"
                    + " throttled together do not retry together.")
    boolean jitter() default true;

    @AttributeDefinition(name = "Largest honoured Retry-After (seconds)",
            description = "Longer server hints (Retry-After, EWS BackOffMilliseconds) are capped to this.")
    long maxRetryAfterSeconds() default 900;
}
