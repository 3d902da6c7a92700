/**
 * The throttling policy every outbound Microsoft call passes through: per app registration and mailbox
 * concurrency and request budget, pauses after throttling answers, stable mailbox-to-registration
 * assignment and a ready queue for the engine's workers.
 */
module io.nexchange.throttling {
    requires transitive io.nexchange.api;
    requires com.fasterxml.jackson.core;
    requires java.xml;
    requires org.slf4j;
    requires static osgi.annotation;
    requires static org.osgi.service.component.annotations;
    requires static org.osgi.service.metatype.annotations;
    // optional at run time: the meters component only activates when a MeterRegistry service exists
    requires static micrometer.core;

    exports io.nexchange.throttling;
    exports io.nexchange.throttling.hints;
}
