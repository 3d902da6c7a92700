package io.nexchange.ops.internal;

import org.osgi.service.component.annotations.Component;

/** The shared stylesheet ({@code /static/nexchange.css}) and any other file under {@code static/} of this bundle. */
@Component(service = StaticResources.class, property = {
    "osgi.http.whiteboard.resource.pattern=/static/*",
    "osgi.http.whiteboard.resource.prefix=/static"
})
public final class StaticResources {
}
