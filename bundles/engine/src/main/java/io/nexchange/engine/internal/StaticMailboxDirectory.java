package io.nexchange.engine.internal;

import io.nexchange.api.Mailbox;
import io.nexchange.api.directory.DirectoryException;
import io.nexchange.api.directory.MailboxDirectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/** A MailboxDirectory from configuration; active only when configured. Ids are the addresses. */
@Component(name = "io.nexchange.engine.mailboxes", configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = StaticMailboxDirectoryConfiguration.class)
public final class StaticMailboxDirectory implements MailboxDirectory {
    private final List<Mailbox> mailboxes;

    @Activate
    public StaticMailboxDirectory(StaticMailboxDirectoryConfiguration config) {
        this(config.mailboxes());
    }

    StaticMailboxDirectory(String... entries) {
        Map<String, Mailbox> sorted = new TreeMap<>();
        for (String entry : entries) {
            for (String part : entry.split(",")) {
                String p = part.strip();
                if (p.isEmpty()) {
                    continue;
                }
                int bar = p.indexOf('|');
                String address = bar < 0 ? p : p.substring(0, bar).strip();
                String name = bar < 0 ? "" : p.substring(bar + 1).strip();
                Mailbox mailbox;
                try {
                    mailbox = new Mailbox(address.toLowerCase(java.util.Locale.ROOT), address, name);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("mailboxes in io.nexchange.engine.mailboxes: " + e.getMessage(), e);
                }
                sorted.put(mailbox.primarySmtp(), mailbox);
            }
        }
        this.mailboxes = List.copyOf(new ArrayList<>(sorted.values()));
    }

    @Override
    public List<Mailbox> mailboxes() throws DirectoryException {
        return mailboxes;
    }
}
