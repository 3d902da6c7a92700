package com.example.nexchange.redactor;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/com.example.nexchange.redactor.cfg}; every setting has a default, so the file is optional. */
@ObjectClassDefinition(name = "Private event redactor (example extension)",
        description = "Strips properties from events marked private before they are written to Nextcloud")
@interface RedactorConfiguration {
    @AttributeDefinition(description = "The CLASS values that mark an event as private (Exchange sensitivity private is "
            + "CLASS:PRIVATE, confidential is CLASS:CONFIDENTIAL)")
    String[] classes() default {"PRIVATE"};

    @AttributeDefinition(description = "The properties stripped from such events. X-ALT-DESC is the HTML body, the "
            + "twin of DESCRIPTION")
    String[] properties() default {"DESCRIPTION", "X-ALT-DESC", "LOCATION", "ATTENDEE"};
}
