package io.nexchange.ops.internal;

import java.io.IOException;
import java.util.Hashtable;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the operator endpoint's address ({@code etc/io.nexchange.ops.http.cfg}) into the configuration of Felix HTTP
 * (PID {@value #FELIX_HTTP_PID}), which then runs Jetty there; the endpoints themselves are Whiteboard servlets. The
 * framework property {@code org.apache.felix.http.enable=false} keeps Jetty off until this component has done so, and
 * deleting the configuration (deactivation) turns it off again.
 */
@Component(service = HttpEndpoint.class, immediate = true, configurationPid = HttpEndpoint.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = OpsHttpConfiguration.class)
public final class HttpEndpoint {
    static final String PID = "io.nexchange.ops.http";
    static final String FELIX_HTTP_PID = "org.apache.felix.http";
    private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoint.class);

    private final Configuration felixHttp;

    @Activate
    public HttpEndpoint(OpsHttpConfiguration config, @Reference ConfigurationAdmin configAdmin) throws IOException {
        if (config.port() < 1 || config.port() > 65535) {
            throw new IllegalArgumentException("port in etc/" + PID + ".cfg must be 1-65535, was " + config.port());
        }
        // "?": a multi-location configuration, so that Felix HTTP (another bundle) receives it
        felixHttp = configAdmin.getConfiguration(FELIX_HTTP_PID, "?");
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("org.apache.felix.http.enable", "true");
        properties.put("org.apache.felix.http.host", config.host());
        properties.put("org.osgi.service.http.port", Integer.toString(config.port()));
        properties.put("org.apache.felix.http.jetty.sendServerHeader", "false");
        felixHttp.updateIfDifferent(properties);
        LOG.info("Operator endpoint on http://{}:{}/ (web console, health, metrics, status{})", config.host(), config.port(),
                LoginPolicy.of(config).loginRequired() ? "; login required" : "");
    }

    @Deactivate
    void deactivate() {
        try {
            felixHttp.delete();
        } catch (IOException | IllegalStateException e) {
            LOG.debug("Felix HTTP configuration already gone: {}", e.toString());
        }
    }
}
