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

    @AttributeDefinition(name = "Sync limit", description = "Changes per page: nresults of sync-collection, members per listing page.", min = "1")
    int syncLimit() default 500;

    @AttributeDefinition(name = "Connections per account", description = "Concurrent HTTP connections per account.", min = "1")
    int maxConnectionsPerAccount() default 4;
}
