package io.nexchange.sandbox.internal.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The directory of one tenant: its users in a stable order, found by id, UPN or mail. */
public final class Tenant {
    public final String tenantId;
    public final String domain;
    public final String displayName;
    private final List<User> users = new CopyOnWriteArrayList<>();
    private final Map<String, User> byKey = new ConcurrentHashMap<>();

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

    /** Matches the tenant path segment of the token endpoint: id or domain. */
    public boolean answersTo(String tenantSegment) {
        return tenantId.equalsIgnoreCase(tenantSegment) || domain.equalsIgnoreCase(tenantSegment);
    }
}
