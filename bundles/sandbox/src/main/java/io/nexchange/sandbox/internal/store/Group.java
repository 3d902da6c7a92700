package io.nexchange.sandbox.internal.store;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A directory group: a Microsoft 365 group ({@code groupTypes ["Unified"]}) or a security group, mail-enabled or
 * not. {@link #memberIds} holds the object ids of its direct members, users or other groups (nesting).
 */
public final class Group {
    public final String id;
    public final String displayName;
    public final String mail;
    public final String mailNickname;
    public final String description;
    public final boolean unified;
    public final boolean securityEnabled;
    public final String createdDateTime;
    public final List<String> memberIds = new CopyOnWriteArrayList<>();

    public Group(String id, String displayName, String mail, String mailNickname, String description, boolean unified,
            boolean securityEnabled, String createdDateTime) {
        this.id = id;
        this.displayName = displayName;
        this.mail = mail;
        this.mailNickname = mailNickname;
        this.description = description;
        this.unified = unified;
        this.securityEnabled = securityEnabled;
        this.createdDateTime = createdDateTime;
    }

    public boolean mailEnabled() {
        return mail != null;
    }
}
