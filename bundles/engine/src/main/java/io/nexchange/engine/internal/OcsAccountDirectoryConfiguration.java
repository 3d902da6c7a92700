package io.nexchange.engine.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Nexchange account directory (Nextcloud provisioning API)",
        description = "Maps mailboxes to the Nextcloud accounts whose e-mail is the mailbox's primary SMTP address.")
public @interface OcsAccountDirectoryConfiguration {
    @AttributeDefinition(description = "Nextcloud's base URL, e.g. https://cloud.example.org/ (the OCS API is below it).")
    String baseUrl();

    @AttributeDefinition(description = "An admin (or a group admin of every synced user).")
    String adminUser();

    @AttributeDefinition(description = "A file holding the admin's app password (read at activation, never logged).")
    String adminPasswordFile();

    @AttributeDefinition(description = "Seconds a mailbox's answer is cached.")
    long refreshSeconds() default 900;

    @AttributeDefinition(description = "Connect timeout in seconds.")
    long timeoutSeconds() default 10;

    @AttributeDefinition(name = "service.ranking", description = "Which directory the engine uses when several are "
            + "configured: the highest ranking.")
    int service_ranking() default 0;
}
