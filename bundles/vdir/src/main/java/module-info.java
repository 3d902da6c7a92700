/** A local vdir ItemStore (khal / khard / vdirsyncer layout). Exports nothing: it offers an ItemStore service. */
module io.nexchange.vdir {
    requires io.nexchange.api;
    requires osgi.core;
    requires static osgi.annotation;
    requires static org.osgi.service.component.annotations;
    requires static org.osgi.service.metatype.annotations;
}
