package io.nexchange.graph.contacts.internal.directory;

import io.nexchange.api.Mailbox;
import io.nexchange.api.directory.DirectoryException;
import io.nexchange.api.directory.MailboxDirectory;
import io.nexchange.graph.client.GraphClients;
import java.util.List;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/** The Graph MailboxDirectory service; the work is done by {@link GraphMailboxDirectory}. */
@Component(service = MailboxDirectory.class, configurationPid = "io.nexchange.graph.directory",
        configurationPolicy = ConfigurationPolicy.OPTIONAL, property = "nexchange.backend=graph")
@Designate(ocd = GraphMailboxDirectoryConfiguration.class)
public final class GraphMailboxDirectoryComponent implements MailboxDirectory {

    private final GraphMailboxDirectory directory;

    @Activate
    public GraphMailboxDirectoryComponent(@Reference GraphClients clients, GraphMailboxDirectoryConfiguration config) {
        this.directory = new GraphMailboxDirectory(clients, config.registration(), Set.of(config.domains()),
                Set.of(config.include()), Set.of(config.exclude()), config.group());
    }

    @Override
    public List<Mailbox> mailboxes() throws DirectoryException {
        return directory.mailboxes();
    }
}
