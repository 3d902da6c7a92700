/**
 * The operator web console: server-rendered pages and a few JSON views on the ops endpoint (Felix HTTP Whiteboard),
 * over the engine's, the state store's, the throttling policy's and the feature service's read-only services. Exports
 * nothing.
 */
module io.nexchange.console {
    requires static osgi.annotation;
    requires static org.osgi.service.component.annotations;
    requires static org.osgi.service.metatype.annotations;
    requires osgi.core;
    requires org.slf4j;
    requires jakarta.servlet;
    requires com.fasterxml.jackson.databind;
    requires io.nexchange.api;
    requires io.nexchange.ops;
    requires io.nexchange.engine;
    requires io.nexchange.state.jdbc;
    requires io.nexchange.throttling;
    requires io.nexchange.features;
}
