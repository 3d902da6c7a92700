package io.nexchange.features.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Nexchange features", description = "Which features the runtime boots with, and where features are described.")
@interface FeatureServiceConfiguration {
    @AttributeDefinition(description = "Features installed at start, comma-separated (features the operator installed "
            + "or removed at runtime are remembered in data/features.state on top of this).")
    String boot() default "core,state,ops";

    @AttributeDefinition(description = "Directory of feature descriptors (*.xml); relative paths are below the installation directory.")
    String repository() default "features";

    @AttributeDefinition(description = "Directory of bundles in Maven layout; relative paths are below the installation directory.")
    String system() default "system";

    @AttributeDefinition(description = "Directory where default configuration of features is written when missing; relative paths are below the instance directory.")
    String configDirectory() default "etc";

    @AttributeDefinition(description = "File remembering runtime installs and removals; relative paths are below the instance directory.")
    String stateFile() default "data/features.state";
}
