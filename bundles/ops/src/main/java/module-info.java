/** The operator surface: console commands, health, metrics, status and a loopback remote console. */
module io.nexchange.ops {
    requires static osgi.annotation;
    requires static org.osgi.service.component.annotations;
    requires static org.osgi.service.metatype.annotations;
    requires osgi.core;
    requires org.osgi.service.component;
    requires org.apache.felix.gogo.runtime;
    requires org.slf4j;
    requires micrometer.core;
    // embedded in the bundle (see bundle.bnd); needed to compile only
    requires static micrometer.registry.prometheus;
    requires jdk.httpserver;
    requires com.fasterxml.jackson.databind;
    requires java.management;
    requires io.nexchange.features;
}
