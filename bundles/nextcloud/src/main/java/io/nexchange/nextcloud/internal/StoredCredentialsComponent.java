package io.nexchange.nextcloud.internal;

import io.nexchange.api.Account;
import io.nexchange.api.source.StoreException;
import io.nexchange.nextcloud.credentials.DavCredentials;
import io.nexchange.nextcloud.credentials.DavLogin;
import io.nexchange.state.credentials.CredentialStore;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@link StoredCredentials} as the {@link DavCredentials} service, ranked above the configured logins (-100) so
 * that {@link DavItemStore} takes it whenever the credential store (feature {@code state}) is there. The
 * configured logins, when their configuration exists, are its fallback; greedy, so configuring them later is
 * picked up (this component is then re-created, and with it the store's sessions).
 */
@Component(service = DavCredentials.class, property = "service.ranking:Integer=100")
public final class StoredCredentialsComponent implements DavCredentials {
    static final String CONFIGURED = "(component.name=io.nexchange.nextcloud.internal.ConfiguredCredentialsComponent)";

    private final StoredCredentials credentials;

    @Activate
    public StoredCredentialsComponent(@Reference CredentialStore store,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY, target = CONFIGURED)
            DavCredentials configured) {
        this.credentials = new StoredCredentials(store, Optional.ofNullable(configured));
    }

    @Override
    public DavLogin login(Account account) throws StoreException {
        return credentials.login(account);
    }
}
