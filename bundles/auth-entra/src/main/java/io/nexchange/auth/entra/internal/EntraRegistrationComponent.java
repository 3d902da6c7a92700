package io.nexchange.auth.entra.internal;

import io.nexchange.api.auth.TokenProvider;
import java.time.Clock;
import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One {@link TokenProvider} service per factory configuration of {@value #PID}. The service is
 * registered here rather than by DS so that its properties are only {@code nexchange.registration}
 * (not the whole configuration), and so that a modified configuration (a rotated secret) swaps the
 * msal4j application behind the same service. The configuration arrives typed: the declared keys as
 * {@link EntraRegistrationConfiguration}, the rest as {@link UndeclaredKeys}.
 */
@Component(configurationPid = EntraRegistrationComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = EntraRegistrationConfiguration.class, factory = true)
public final class EntraRegistrationComponent {
    static final String PID = "io.nexchange.auth.entra";

    private final EntraTokenProvider provider;
    private final ServiceRegistration<?> registration;

    @Activate
    public EntraRegistrationComponent(BundleContext context, EntraRegistrationConfiguration config, UndeclaredKeys undeclared) {
        this.provider = new EntraTokenProvider(config, undeclared, System::getenv, Clock.systemUTC());
        this.registration = context.registerService(TokenProvider.class.getName(), provider, serviceProperties());
    }

    @Modified
    void modified(EntraRegistrationConfiguration config, UndeclaredKeys undeclared) {
        provider.configure(config, undeclared);
        registration.setProperties(serviceProperties());
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
        provider.close();
    }

    private Dictionary<String, Object> serviceProperties() {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(TokenProvider.REGISTRATION, provider.registration());
        return properties;
    }
}
