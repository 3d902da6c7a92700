package io.nexchange.console.internal;

import org.osgi.service.component.annotations.Component;

/** The console's script, {@code /static/console/console.js}, served by the Whiteboard from this bundle. */
@Component(service = StaticResources.class, property = {
    "osgi.http.whiteboard.resource.pattern=/static/console/*",
    "osgi.http.whiteboard.resource.prefix=/static/console"
})
public final class StaticResources {
}
