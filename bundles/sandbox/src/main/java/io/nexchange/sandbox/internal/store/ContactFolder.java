package io.nexchange.sandbox.internal.store;

/** A contact folder; the default one ("Contacts") is the parent of the others. */
public final class ContactFolder {
    public final String id;
    public final String parentFolderId;
    public String displayName;
    public final boolean isDefault;

    public ContactFolder(String id, String parentFolderId, String displayName, boolean isDefault) {
        this.id = id;
        this.parentFolderId = parentFolderId;
        this.displayName = displayName;
        this.isDefault = isDefault;
    }
}
