package io.nexchange.nextcloud.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Nexchange Nextcloud (CalDAV/CardDAV)",
        description = "Where the Nextcloud side's DAV server is and how hard to use it. Logins come from the credentials component.")
@interface DavStoreConfiguration {

    @AttributeDefinition(name = "Base URL",
            description = "Where discovery starts: Nextcloud's DAV root https://<host>/remote.php/dav/ (or any URL whose PROPFIND"
                    + " tells the current-user-principal, e.g. a Radicale root).")
    String baseUrl();

    @AttributeDefinition(name = "Connect timeout (s)", description = "TCP connect timeout, seconds.", min = "1")
    int connectTimeoutSeconds() default 10;

    @AttributeDefinition(name = "Read timeout (s)", description = "How long one request may wait for the server, seconds.", min = "1")
    int readTimeoutSeconds() default 60;

    @AttributeDefinition(name = "Multiget batch size", description = "Items fetched per calendar-multiget / addressbook-multiget.", min = "1")
    int multigetBatchSize() default 100;

    @AttributeDefinition(name = "Sync limit", description = "Changes per page: nresults of sync-collection (a full listing is one PROPFIND).", min = "1")
    int syncLimit() default 500;

    @AttributeDefinition(name = "Connections per account", description = "Concurrent HTTP connections per account.", min = "1")
    int maxConnectionsPerAccount() default 4;

    @AttributeDefinition(name = "Full listing every (hours)", description = "How often a collection read through sync-tokens is "
            + "listed in full anyway (href and ETag only) and compared: catches changes a server forgot behind a token it still "
            + "accepts (Nextcloud's pruned change log). Nothing is uploaded again. 0 = never.", min = "0")
    int fullListingHours() default 24;

    @AttributeDefinition(name = "Largest answer (MB)", description = "The most of one multistatus answer (a listing, a multiget)"
            + " read into memory. A larger listing fails the pair with a message naming this setting; a larger multiget is asked"
            + " again in parts, and an item whose own answer is larger is quarantined.", min = "1")
    int maxAnswerMegabytes() default 16;

    @AttributeDefinition(name = "Retry of rejected credentials (minutes)",
            description = "After the server rejects an account's credentials (HTTP 401) no login is tried with the same"
                    + " credentials for this long; the wait doubles with each further rejection. New credentials are tried at once.",
            min = "1")
    int rejectedLoginRetryMinutes() default 5;

    @AttributeDefinition(name = "Longest retry of rejected credentials (minutes)",
            description = "The ceiling of the doubling wait between logins with credentials the server rejected.", min = "1")
    int rejectedLoginRetryMaxMinutes() default 360;

    @AttributeDefinition(name = "Rejected-login budget per 30 minutes",
            description = "Retries of rejected credentials wait while the connector caused this many failed logins in the"
                    + " last 30 minutes: Nextcloud's brute-force protection blocks the connector's address (every account)"
                    + " after more than 10.", min = "1", max = "10")
    int rejectedLoginRetryBudget() default 5;
}
