/**
 * The operator surface: console commands, the HTTP endpoint (Felix HTTP Whiteboard servlets: health, metrics, status,
 * remote console, login) and its security filter, and what other bundles need to add pages to it.
 */
module io.nexchange.ops {
    requires static osgi.annotation;
    requires static org.osgi.service.component.annotations;
    requires static org.osgi.service.metatype.annotations;
    requires osgi.core;
    requires org.osgi.service.component;
    requires org.osgi.service.cm;
    requires org.apache.felix.gogo.runtime;
    requires org.slf4j;
    requires micrometer.core;
    // embedded in the bundle (see bundle.bnd); needed to compile only
    requires static micrometer.registry.prometheus;
    requires transitive jakarta.servlet;
    requires com.fasterxml.jackson.databind;
    requires java.management;
    requires io.nexchange.features;

    exports io.nexchange.ops.web;
}
