package io.nexchange.graph.contacts.internal.directory;

import com.microsoft.graph.models.User;
import com.microsoft.graph.models.UserCollectionResponse;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.UsersRequestBuilder;
import io.nexchange.api.Mailbox;
import io.nexchange.api.auth.AuthException;
import io.nexchange.api.directory.DirectoryException;
import io.nexchange.api.directory.MailboxDirectory;
import io.nexchange.api.source.StoreException;
import io.nexchange.graph.client.GraphCall;
import io.nexchange.graph.client.GraphClients;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The organisation's mailboxes from Graph {@code /users} ({@code $select=id,userPrincipalName,mail,displayName,
 * accountEnabled&$top=999}, following nextLinks), filtered by domain and include/exclude lists. Disabled users and
 * users without mail are skipped and reported in {@link #lastReport()} and the log. A user with mail but no
 * Exchange Online licence cannot be told from /users; its first mailbox request fails with
 * MailboxNotEnabledForRESTAPI, which the stores report naming the licence.
 */
public final class GraphMailboxDirectory implements MailboxDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(GraphMailboxDirectory.class);

    /** What one listing found. */
    public record Report(int users, int inScope, List<String> disabled, List<String> withoutMail, List<String> filteredOut) {
    }

    private final GraphClients clients;
    private final String registration;
    private final Set<String> domains;
    private final Set<String> include;
    private final Set<String> exclude;
    private volatile Report lastReport = new Report(0, 0, List.of(), List.of(), List.of());

    /**
     * @param domains mail domains in scope (empty: all)
     * @param include addresses in scope (empty: all that pass the domains)
     * @param exclude addresses never in scope
     */
    public GraphMailboxDirectory(GraphClients clients, String registration, Set<String> domains, Set<String> include, Set<String> exclude) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.registration = Objects.requireNonNull(registration, "registration");
        this.domains = lower(domains);
        this.include = lower(include);
        this.exclude = lower(exclude);
    }

    private static Set<String> lower(Set<String> values) {
        return values.stream().map(String::trim).filter(s -> !s.isEmpty()).map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    @Override
    public List<Mailbox> mailboxes() throws DirectoryException {
        GraphServiceClient graph;
        try {
            graph = clients.forRegistration(registration);
        } catch (AuthException e) {
            throw new DirectoryException("Cannot list the mailboxes: " + e.getMessage(), e);
        }
        GraphCall call = new GraphCall("the organisation", "User.Read.All");
        List<User> users = new ArrayList<>();
        try {
            UserCollectionResponse page = call.run("list the users", () -> graph.users().get(c -> {
                c.queryParameters.select = new String[] {"id", "userPrincipalName", "mail", "displayName", "accountEnabled"};
                c.queryParameters.top = 999;
            }));
            users.addAll(page.getValue());
            while (page.getOdataNextLink() != null) {
                String next = page.getOdataNextLink();
                // a new builder per attempt: Kiota consumes a builder's raw URL when it sends
                page = call.run("list the users", () -> new UsersRequestBuilder(next, graph.getRequestAdapter()).get());
                users.addAll(page.getValue());
            }
        } catch (StoreException e) {
            String message = e.getMessage();
            if (GraphCall.status(e.getCause()) == 403) {
                message = "Cannot list the mailboxes: Graph answered 403 " + GraphCall.code(e.getCause()) + ". In Microsoft Entra ID,"
                        + " API permissions, add the Microsoft Graph application permission User.Read.All and click 'Grant admin"
                        + " consent'.";
            }
            throw new DirectoryException(message, e);
        }
        List<Mailbox> out = new ArrayList<>();
        List<String> disabled = new ArrayList<>();
        List<String> withoutMail = new ArrayList<>();
        List<String> filteredOut = new ArrayList<>();
        for (User u : users) {
            String name = u.getUserPrincipalName() != null ? u.getUserPrincipalName() : u.getId();
            if (Boolean.FALSE.equals(u.getAccountEnabled())) {
                disabled.add(name);
                continue;
            }
            String mail = u.getMail();
            if (mail == null || mail.isBlank() || mail.indexOf('@') <= 0) {
                withoutMail.add(name);
                continue;
            }
            String address = mail.trim().toLowerCase(Locale.ROOT);
            String domain = address.substring(address.indexOf('@') + 1);
            if (exclude.contains(address) || !domains.isEmpty() && !domains.contains(domain)
                    || !include.isEmpty() && !include.contains(address)) {
                filteredOut.add(address);
                continue;
            }
            out.add(new Mailbox(u.getId(), address, u.getDisplayName()));
        }
        out.sort(Comparator.comparing(Mailbox::primarySmtp));
        lastReport = new Report(users.size(), out.size(), List.copyOf(disabled), List.copyOf(withoutMail), List.copyOf(filteredOut));
        if (!disabled.isEmpty() || !withoutMail.isEmpty()) {
            LOG.info("Directory: {} users, {} mailboxes in scope; skipped {} disabled users {} and {} users without mail {};"
                    + " {} filtered out by domains/include/exclude", users.size(), out.size(), disabled.size(), disabled,
                    withoutMail.size(), withoutMail, filteredOut.size());
        }
        return out;
    }

    /** What the last listing found and skipped. */
    public Report lastReport() {
        return lastReport;
    }
}
