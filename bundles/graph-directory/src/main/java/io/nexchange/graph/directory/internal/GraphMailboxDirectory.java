package io.nexchange.graph.directory.internal;

import com.microsoft.graph.groups.item.transitivemembers.graphuser.GraphUserRequestBuilder;
import com.microsoft.graph.models.Group;
import com.microsoft.graph.models.GroupCollectionResponse;
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
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The organisation's mailboxes from Graph {@code /users} ({@code $select=id,userPrincipalName,mail,displayName,
 * accountEnabled&$top=999}, following nextLinks), optionally limited to the members of a group (directly or through
 * nested groups, read from {@code /groups/{id}/transitiveMembers/microsoft.graph.user}; the group is named by object
 * id, mail address or display name and resolved again at every listing), filtered by domain and include/exclude
 * lists. Disabled users and
 * users without mail are skipped and reported in {@link #lastReport()} and the log. A user with mail but no
 * Exchange Online licence cannot be told from /users; its first mailbox request fails with
 * MailboxNotEnabledForRESTAPI, which the stores report naming the licence.
 */
@Component(service = MailboxDirectory.class, configurationPid = "io.nexchange.graph.directory",
        configurationPolicy = ConfigurationPolicy.OPTIONAL, property = "nexchange.backend=graph")
@Designate(ocd = GraphMailboxDirectoryConfiguration.class)
public final class GraphMailboxDirectory implements MailboxDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(GraphMailboxDirectory.class);

    /** Object ids look like this; anything else is a mail address (with '@') or a display name. */
    private static final Pattern OBJECT_ID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final String GROUP_PERMISSION = "GroupMember.Read.All";
    private static final String GROUP_SETTING = "setting group of io.nexchange.graph.directory";

    /**
     * What one listing found.
     *
     * @param group the group the listing was limited to ("display name (object id)"), or "" for none
     * @param outsideGroup users left out because they are not in the group
     */
    public record Report(int users, int inScope, List<String> disabled, List<String> withoutMail, List<String> filteredOut,
            String group, List<String> outsideGroup) {
    }

    private final GraphClients clients;
    private final String registration;
    private final Set<String> domains;
    private final Set<String> include;
    private final Set<String> exclude;
    private final String group;
    private final int pageSize;
    private volatile Report lastReport = new Report(0, 0, List.of(), List.of(), List.of(), "", List.of());

    @Activate
    public GraphMailboxDirectory(@Reference GraphClients clients, GraphMailboxDirectoryConfiguration config) {
        this(clients, config.registration(), Set.of(config.domains()), Set.of(config.include()), Set.of(config.exclude()),
                config.group(), 999);
    }

    /** Without a group limit. */
    GraphMailboxDirectory(GraphClients clients, String registration, Set<String> domains, Set<String> include, Set<String> exclude) {
        this(clients, registration, domains, include, exclude, "", 999);
    }

    /**
     * @param domains mail domains in scope (empty: all)
     * @param include addresses in scope (empty: all that pass the domains)
     * @param exclude addresses never in scope
     * @param group object id, mail address or display name of the group whose members (also through nested groups)
     *     are in scope; empty: no group limit
     * @param pageSize members per page of the group listing (a test makes it small so that the listing pages)
     */
    GraphMailboxDirectory(GraphClients clients, String registration, Set<String> domains, Set<String> include, Set<String> exclude,
            String group, int pageSize) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.registration = Objects.requireNonNull(registration, "registration");
        this.domains = lower(domains);
        this.include = lower(include);
        this.exclude = lower(exclude);
        this.group = group == null ? "" : group.trim();
        this.pageSize = pageSize;
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
        // the group first: a wrong setting fails before the (longer) user listing
        GroupScope scope = group.isEmpty() ? null : groupScope(graph);
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
        List<String> outsideGroup = new ArrayList<>();
        for (User u : users) {
            String name = u.getUserPrincipalName() != null ? u.getUserPrincipalName() : u.getId();
            if (scope != null && !scope.userIds().contains(u.getId())) {
                outsideGroup.add(name);
                continue;
            }
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
        lastReport = new Report(users.size(), out.size(), List.copyOf(disabled), List.copyOf(withoutMail), List.copyOf(filteredOut),
                scope == null ? "" : scope.describe(), List.copyOf(outsideGroup));
        if (scope != null) {
            LOG.info("Directory: group {} has {} user members; {} of {} users filtered out by the group", scope.describe(),
                    scope.userIds().size(), outsideGroup.size(), users.size());
            if (scope.userIds().isEmpty()) {
                LOG.warn("Directory: group {} has no user members, so no mailbox is in scope ({})", scope.describe(), GROUP_SETTING);
            }
        }
        if (!disabled.isEmpty() || !withoutMail.isEmpty()) {
            LOG.info("Directory: {} users, {} mailboxes in scope; skipped {} disabled users {} and {} users without mail {};"
                    + " {} filtered out by domains/include/exclude", users.size(), out.size(), disabled.size(), disabled,
                    withoutMail.size(), withoutMail, filteredOut.size());
        }
        return out;
    }

    /** The group the listing is limited to and the ids of its user members (transitively). */
    private record GroupScope(String id, String displayName, Set<String> userIds) {
        String describe() {
            return "'" + displayName + "' (" + id + ")";
        }
    }

    private GroupScope groupScope(GraphServiceClient graph) throws DirectoryException {
        GraphCall call = new GraphCall("the organisation", GROUP_PERMISSION);
        Group found;
        try {
            found = findGroup(graph, call);
        } catch (StoreException e) {
            throw groupFailure("find group '" + group + "'", e);
        }
        if (found == null) {
            throw new DirectoryException("Cannot list the mailboxes: no group '" + group + "' in the tenant (" + GROUP_SETTING
                    + "; give the group's object id, mail address or display name)", null);
        }
        Set<String> ids = new HashSet<>();
        String groupId = found.getId();
        try {
            UserCollectionResponse page = call.run("list the members of group '" + group + "'", () -> graph.groups().byGroupId(groupId)
                    .transitiveMembers().graphUser().get(c -> {
                        c.queryParameters.select = new String[] {"id"};
                        c.queryParameters.top = pageSize;
                    }));
            page.getValue().forEach(u -> ids.add(u.getId()));
            while (page.getOdataNextLink() != null) {
                String next = page.getOdataNextLink();
                // a new builder per attempt, as for /users
                page = call.run("list the members of group '" + group + "'", () -> new GraphUserRequestBuilder(next,
                        graph.getRequestAdapter()).get());
                page.getValue().forEach(u -> ids.add(u.getId()));
            }
        } catch (StoreException e) {
            throw groupFailure("list the members of group '" + group + "'", e);
        }
        return new GroupScope(groupId, found.getDisplayName() == null ? group : found.getDisplayName(), ids);
    }

    /** The configured group by object id, mail or display name; null when the tenant has none such. */
    private Group findGroup(GraphServiceClient graph, GraphCall call) throws StoreException, DirectoryException {
        String[] select = {"id", "displayName", "mail"};
        if (OBJECT_ID.matcher(group).matches()) {
            try {
                return call.run("read group '" + group + "'", () -> graph.groups().byGroupId(group).get(c -> c.queryParameters.select = select));
            } catch (StoreException e) {
                if (GraphCall.status(e.getCause()) == 404) {
                    return null;
                }
                throw e;
            }
        }
        String property = group.indexOf('@') > 0 ? "mail" : "displayName";
        // OData string literals double their single quotes
        String filter = property + " eq '" + group.replace("'", "''") + "'";
        GroupCollectionResponse matches = call.run("find group '" + group + "'", () -> graph.groups().get(c -> {
            c.queryParameters.filter = filter;
            c.queryParameters.select = select;
        }));
        List<Group> value = matches.getValue() == null ? List.of() : matches.getValue();
        if (value.size() > 1) {
            throw new DirectoryException("Cannot list the mailboxes: " + value.size() + " groups are named '" + group + "' ("
                    + value.stream().map(Group::getId).collect(Collectors.joining(", ")) + "); set " + GROUP_SETTING
                    + " to the object id or mail address of the one to use", null);
        }
        return value.isEmpty() ? null : value.get(0);
    }

    private static DirectoryException groupFailure(String what, StoreException e) {
        if (GraphCall.status(e.getCause()) == 403) {
            return new DirectoryException("Cannot list the mailboxes: Graph answered 403 " + GraphCall.code(e.getCause()) + " to "
                    + what + ". In Microsoft Entra ID, API permissions, add the Microsoft Graph application permission "
                    + GROUP_PERMISSION + " and click 'Grant admin consent' (needed because " + GROUP_SETTING + " is set).", e);
        }
        return new DirectoryException("Cannot list the mailboxes: " + e.getMessage(), e);
    }

    /** What the last listing found and skipped. */
    public Report lastReport() {
        return lastReport;
    }
}
