package io.nexchange.sandbox.internal.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The directory of one tenant: its users in a stable order, found by id, UPN or mail; and its groups. */
public final class Tenant {
    public final String tenantId;
    public final String domain;
    public final String displayName;
    private final List<User> users = new CopyOnWriteArrayList<>();
    private final Map<String, User> byKey = new ConcurrentHashMap<>();
    private final List<Group> groups = new CopyOnWriteArrayList<>();
    private final Map<String, Group> groupsById = new ConcurrentHashMap<>();
    /** The meeting messages the tenant's Graph and EWS writes would have sent. */
    public final MeetingOutbox meetingMessages = new MeetingOutbox(java.time.Clock.systemUTC());

    public Tenant(String tenantId, String domain, String displayName) {
        this.tenantId = tenantId;
        this.domain = domain;
        this.displayName = displayName;
    }

    public void add(User user) {
        users.add(user);
        byKey.put(user.id.toLowerCase(Locale.ROOT), user);
        byKey.put(user.userPrincipalName.toLowerCase(Locale.ROOT), user);
        if (user.mail != null) {
            byKey.put(user.mail.toLowerCase(Locale.ROOT), user);
        }
    }

    public List<User> users() {
        return new ArrayList<>(users);
    }

    /** By object id, user principal name or primary SMTP address, case-insensitively. */
    public Optional<User> find(String key) {
        return key == null ? Optional.empty() : Optional.ofNullable(byKey.get(key.toLowerCase(Locale.ROOT)));
    }

    public void add(Group group) {
        groups.add(group);
        groupsById.put(group.id.toLowerCase(Locale.ROOT), group);
    }

    public List<Group> groups() {
        return new ArrayList<>(groups);
    }

    /** A group by object id (Graph addresses groups by id only), case-insensitively. */
    public Optional<Group> group(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(groupsById.get(id.toLowerCase(Locale.ROOT)));
    }

    /** A user by object id only. */
    public Optional<User> userById(String id) {
        return find(id).filter(u -> u.id.equalsIgnoreCase(id));
    }

    /** Members of a group, directly or through nested groups. */
    public record Members(List<User> users, List<Group> groups) {
    }

    /**
     * The members of a group and of the groups nested in it, each once, in breadth-first order of discovery
     * (direct members first). A nesting cycle ends where it meets a group already seen.
     */
    public Members transitiveMembers(Group root) {
        Set<String> seen = new HashSet<>();
        seen.add(root.id);
        List<User> users = new ArrayList<>();
        List<Group> nested = new ArrayList<>();
        Deque<Group> queue = new ArrayDeque<>(List.of(root));
        while (!queue.isEmpty()) {
            for (String memberId : queue.removeFirst().memberIds) {
                if (!seen.add(memberId)) {
                    continue;
                }
                Optional<Group> g = group(memberId);
                if (g.isPresent()) {
                    nested.add(g.get());
                    queue.addLast(g.get());
                } else {
                    userById(memberId).ifPresent(users::add);
                }
            }
        }
        return new Members(users, nested);
    }

    /** Direct members of a group. */
    public Members directMembers(Group group) {
        List<User> users = new ArrayList<>();
        List<Group> nested = new ArrayList<>();
        for (String memberId : group.memberIds) {
            Optional<Group> g = group(memberId);
            if (g.isPresent()) {
                nested.add(g.get());
            } else {
                userById(memberId).ifPresent(users::add);
            }
        }
        return new Members(users, nested);
    }

    /** Matches the tenant path segment of the token endpoint: id or domain. */
    public boolean answersTo(String tenantSegment) {
        return tenantId.equalsIgnoreCase(tenantSegment) || domain.equalsIgnoreCase(tenantSegment);
    }
}
