/**
 * The sync engine: reconciliation, scheduling, backend routing, account directories, console commands.
 * Exports only {@code io.nexchange.engine.control}: the views and "sync now" for operators' tools (the web console).
 */
module io.nexchange.engine {
    requires io.nexchange.api;
    requires org.slf4j;
    requires osgi.core;
    requires java.net.http;
    requires java.xml;
    requires static osgi.annotation;
    requires static org.osgi.service.component.annotations;
    requires static org.osgi.service.metatype.annotations;
    // optional at run time: the meters component only activates when a MeterRegistry service exists
    requires static micrometer.core;
    requires static org.apache.felix.gogo.runtime;

    exports io.nexchange.engine.control;
}
