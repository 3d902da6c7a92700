package io.nexchange.engine.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Nexchange account mapping file",
        description = "Maps mailboxes to Nextcloud accounts by a CSV file of primary_smtp,nextcloud_user_id lines.")
public @interface CsvAccountDirectoryConfiguration {
    @AttributeDefinition(description = "The CSV file (re-read when it changes).")
    String mappingFile() default "etc/account-mapping.csv";

    @AttributeDefinition(name = "service.ranking", description = "Which directory the engine uses when several are "
            + "configured: the highest ranking.")
    int service_ranking() default 10;
}
