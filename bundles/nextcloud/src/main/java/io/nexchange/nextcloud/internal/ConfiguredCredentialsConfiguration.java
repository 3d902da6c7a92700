package io.nexchange.nextcloud.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Nexchange Nextcloud logins",
        description = "Where the DAV logins of Nextcloud accounts come from when no credential database is installed.")
@interface ConfiguredCredentialsConfiguration {

    @AttributeDefinition(name = "App password folder",
            description = "Folder with one file per Nextcloud user id holding that user's app password (read on each login). Empty: none.")
    String appPasswordDirectory() default "";

    @AttributeDefinition(name = "Service account", description = "Login used for accounts without an app password file. Empty: none.")
    String serviceAccountUser() default "";

    @AttributeDefinition(name = "Service account password file",
            description = "File holding the service account's app password (preferred over the password attribute).")
    String serviceAccountPasswordFile() default "";

    @AttributeDefinition(name = "Service account password", type = AttributeType.PASSWORD,
            description = "The service account's app password, if not given as a file; use Configuration Admin interpolation to keep it out of the .cfg.")
    String serviceAccountPassword() default "";
}
