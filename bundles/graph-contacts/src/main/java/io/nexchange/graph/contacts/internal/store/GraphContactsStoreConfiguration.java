package io.nexchange.graph.contacts.internal.store;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Nexchange Graph contacts store", description = "Exchange Online contacts through"
        + " Microsoft Graph contacts delta.")
public @interface GraphContactsStoreConfiguration {

    @AttributeDefinition(description = "App registrations (names of TokenProvider services) mailboxes are spread over.")
    String[] registrations() default {"default"};

    @AttributeDefinition(description = "Contacts per delta page (Prefer: odata.maxpagesize).")
    int pageSize() default 100;

    @AttributeDefinition(description = "Synchronise every contact folder, not only the default one.")
    boolean allFolders() default false;
}
