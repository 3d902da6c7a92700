package io.nexchange.auth.entra.internal;

import io.nexchange.api.auth.AuthException;
import io.nexchange.api.auth.Secret;
import io.nexchange.api.auth.TokenProvider;
import io.nexchange.auth.entra.EwsServiceAccount;
import java.net.URI;
import java.util.concurrent.atomic.AtomicReference;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link EwsServiceAccount} service per factory configuration of {@value #PID}, registered only while
 * the configuration is complete (an incomplete one is logged with what to set). A modified configuration
 * (a rotated password) is served by the same service.
 */
@Component(configurationPid = EwsOnPremComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {}, immediate = true)
@Designate(ocd = EwsOnPremConfiguration.class, factory = true)
public final class EwsOnPremComponent {
    static final String PID = "io.nexchange.auth.ews.onprem";
    private static final Logger LOG = LoggerFactory.getLogger(EwsOnPremComponent.class);

    private final BundleContext context;
    private final AtomicReference<EwsOnPremAccount> account = new AtomicReference<>();
    private final AtomicReference<ServiceRegistration<?>> registration = new AtomicReference<>();
    private final EwsServiceAccount service = new EwsServiceAccount() {
        @Override
        public String name() {
            return account.get().name();
        }

        @Override
        public URI ewsUrl() {
            return account.get().ewsUrl();
        }

        @Override
        public String username() {
            return account.get().username();
        }

        @Override
        public String domain() {
            return account.get().domain();
        }

        @Override
        public Secret password() {
            return account.get().password();
        }

        @Override
        public String toString() {
            return String.valueOf(account.get());
        }
    };

    @Activate
    public EwsOnPremComponent(BundleContext context, EwsOnPremConfiguration config, UndeclaredKeys undeclared) {
        this.context = context;
        apply(config, undeclared);
    }

    @Modified
    void modified(EwsOnPremConfiguration config, UndeclaredKeys undeclared) {
        apply(config, undeclared);
    }

    @Deactivate
    void deactivate() {
        ServiceRegistration<?> r = registration.getAndSet(null);
        if (r != null) {
            r.unregister();
        }
    }

    EwsServiceAccount service() {
        return service;
    }

    private synchronized void apply(EwsOnPremConfiguration config, UndeclaredKeys undeclared) {
        try {
            EwsOnPremAccount parsed = EwsOnPremAccount.parse(config, undeclared, System::getenv);
            account.set(parsed);
            java.util.Hashtable<String, Object> serviceProperties = new java.util.Hashtable<>();
            serviceProperties.put(TokenProvider.REGISTRATION, parsed.name());
            ServiceRegistration<?> r = registration.get();
            if (r == null) {
                registration.set(context.registerService(EwsServiceAccount.class.getName(), service, serviceProperties));
            } else {
                r.setProperties(serviceProperties);
            }
            LOG.info("EWS service account '{}': {}", parsed.name(), parsed);
        } catch (AuthException e) {
            LOG.error(e.getMessage());
            deactivate();
        }
    }
}
