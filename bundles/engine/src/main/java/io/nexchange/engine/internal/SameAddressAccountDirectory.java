package io.nexchange.engine.internal;

import io.nexchange.api.Account;
import io.nexchange.api.Mailbox;
import io.nexchange.api.directory.AccountDirectory;
import io.nexchange.api.directory.Resolution;
import java.util.List;
import java.util.Locale;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Maps every mailbox to an account named after its own address, for targets whose accounts are made by
 * the sync itself (a local vdir, the demo): nothing to look up, nothing ambiguous. Active only when
 * configured; never use it against a Nextcloud server, where accounts must exist and be matched.
 */
@Component(name = "io.nexchange.engine.accounts.sameaddress", configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = SameAddressAccountDirectoryConfiguration.class)
public final class SameAddressAccountDirectory implements AccountDirectory {
    private final boolean localPartOnly;

    @Activate
    public SameAddressAccountDirectory(SameAddressAccountDirectoryConfiguration config) {
        this(config.userId().strip().toLowerCase(Locale.ROOT).equals("localpart"));
    }

    SameAddressAccountDirectory(boolean localPartOnly) {
        this.localPartOnly = localPartOnly;
    }

    @Override
    public Resolution resolve(Mailbox mailbox) {
        String address = mailbox.primarySmtp();
        String userId = localPartOnly ? address.substring(0, address.indexOf('@')) : address;
        return new Resolution(mailbox, List.of(new Account(userId, address, mailbox.displayName())));
    }
}
