package io.nexchange.sandbox.internal.store;

import java.util.ArrayList;
import java.util.List;

/** A directory user; {@link #mailboxSlot} is null for a user without an Exchange Online mailbox. */
public final class User {
    public final String id;
    public String userPrincipalName;
    public String mail;
    public String displayName;
    public String givenName;
    public String surname;
    public String jobTitle;
    public String officeLocation;
    public String mobilePhone;
    public List<String> businessPhones = new ArrayList<>();
    public String preferredLanguage = "en-US";
    public boolean accountEnabled = true;
    /** The mailbox, made on first use (see {@link MailboxSlot}); null: no Exchange Online mailbox. */
    public MailboxSlot mailboxSlot;
    /**
     * Hybrid organisation: the mailbox lives on the on-premises Exchange. Graph refuses it (404
     * MailboxNotEnabledForRESTAPI) and so does Exchange Online's EWS; the on-premises EWS endpoint (the Basic
     * service account) serves it.
     */
    public volatile boolean onPremises;

    public User(String id) {
        this.id = id;
    }

    public boolean hasMailbox() {
        return mailboxSlot != null;
    }

    /** The mailbox (generated now if it is not in memory), or null for a user without one. */
    public Mailbox mailbox() {
        return mailboxSlot == null ? null : mailboxSlot.get();
    }
}
