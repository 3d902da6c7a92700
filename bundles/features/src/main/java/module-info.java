/** Features: named sets of bundles and default configuration, installed and removed at runtime. */
module io.nexchange.features {
    requires static osgi.annotation;
    requires static org.osgi.service.component.annotations;
    requires static org.osgi.service.metatype.annotations;
    requires osgi.core;
    requires org.osgi.service.cm;
    requires org.slf4j;
    requires java.xml;

    exports io.nexchange.features;
}
