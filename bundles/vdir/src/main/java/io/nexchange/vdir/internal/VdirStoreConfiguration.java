package io.nexchange.vdir.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Nexchange vdir store",
        description = "Writes the Nextcloud side into local folders (khal / khard / vdirsyncer layout) instead of a DAV server.")
@interface VdirStoreConfiguration {

    @AttributeDefinition(name = "Root folder",
            description = "Where <user id>/<collection>/<item>.ics|.vcf go; a relative path is below the instance directory (nexchange.base).")
    String root() default "data/vdir";
}
