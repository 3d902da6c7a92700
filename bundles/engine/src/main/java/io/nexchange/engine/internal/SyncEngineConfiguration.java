package io.nexchange.engine.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Nexchange sync engine",
        description = "Schedules the sync of every mailbox and reconciles its collection pairs.")
public @interface SyncEngineConfiguration {

    @AttributeDefinition(description = "Mailboxes synced at once (one worker per mailbox).")
    int threads() default 4;

    @AttributeDefinition(description = "Seconds between the end of one cycle and the start of the next.")
    long intervalSeconds() default 300;

    @AttributeDefinition(description = "Seconds after start before the first cycle.")
    long initialDelaySeconds() default 10;

    @AttributeDefinition(description = "two-way (edits, creations and deletions on either side reach the other; conflicts "
            + "go by conflictPolicy), exchange-to-nextcloud (Nextcloud-side edits are overwritten on the next Exchange change, "
            + "Nextcloud-side creations and deletions are left alone and reported) or nextcloud-to-exchange (the mirror image). "
            + "The default of direction.calendar and direction.contacts.")
    String direction() default "two-way";

    @AttributeDefinition(name = "direction.calendar", description = "The direction of calendars: exchange-to-nextcloud, "
            + "nextcloud-to-exchange or two-way; empty: the value of direction.", required = false)
    String direction_calendar() default "";

    @AttributeDefinition(name = "direction.contacts", description = "The direction of contacts: exchange-to-nextcloud, "
            + "nextcloud-to-exchange or two-way; empty: the value of direction.", required = false)
    String direction_contacts() default "";

    @AttributeDefinition(description = "Two-way only: who wins when both sides changed an item: exchange-wins, "
            + "nextcloud-wins or newest-wins (by LAST-MODIFIED/REV; falls back to exchange-wins when unknown).")
    String conflictPolicy() default "exchange-wins";

    @AttributeDefinition(name = "conflictPolicy.calendar", description = "The conflict policy for events; empty: "
            + "conflictPolicy.", required = false)
    String conflictPolicy_calendar() default "";

    @AttributeDefinition(name = "conflictPolicy.contacts", description = "The conflict policy for contacts; empty: "
            + "conflictPolicy.", required = false)
    String conflictPolicy_contacts() default "";

    @AttributeDefinition(description = "Days a resolved conflict (both versions) is kept in the state database for "
            + "nexchange:conflicts and the console; a conflict waiting for its restore is kept until it is restored.")
    int conflictRetentionDays() default 90;

    @AttributeDefinition(description = "At most this many conflicts are kept per pair (the newest).")
    int conflictsKeptPerPair() default 200;

    @AttributeDefinition(description = "The largest share (0..1) of a collection's items one cycle may delete; above it "
            + "the pair is held back and an alert raised (override once with nexchange:sync --allow-deletions MAILBOX).")
    double deletionGuardShare() default 0.5;

    @AttributeDefinition(description = "Collections with fewer items are exempt from the share rule (deleting every item "
            + "of a collection of 2 or more always trips the guard).")
    int deletionGuardMinimumItems() default 10;

    @AttributeDefinition(description = "Status rows per state-store commit.")
    int commitBatchSize() default 50;

    @AttributeDefinition(name = "backend.default", description = "The Exchange-side backend of every mailbox without an "
            + "override: graph or ews (the nexchange.backend property of an ItemStore with nexchange.side=exchange).")
    String backend_default() default "graph";

    @AttributeDefinition(name = "backend.override", description = "Per-mailbox backends, mailbox:backend, e.g. "
            + "alice@example.org:ews. Changing a mailbox's backend makes its next round a full listing matched by item key.",
            cardinality = Integer.MAX_VALUE, required = false)
    String[] backend_override() default {};

    @AttributeDefinition(name = "backend.group", description = "Per-group backends, group:backend, e.g. legal:ews, in order "
            + "of precedence. A group is defined in this configuration as group.NAME = addresses or patterns "
            + "(group.legal = carol@example.org, *@legal.example.org). Precedence: backend.override, backend.group, "
            + "backend.wave, backend.domain, backend.default; nexchange:switch before all of them.",
            cardinality = Integer.MAX_VALUE, required = false)
    String[] backend_group() default {};

    @AttributeDefinition(name = "backend.wave", description = "Per-migration-wave backends, wave:backend, e.g. 1:graph. A "
            + "wave is defined as wave.NAME = addresses or patterns (wave.1 = *@sales.example.org, bob@example.org); "
            + "nexchange:switch --wave NAME moves one at run time.", cardinality = Integer.MAX_VALUE, required = false)
    String[] backend_wave() default {};

    @AttributeDefinition(name = "backend.domain", description = "Per-domain backends, domain:backend, e.g. "
            + "sales.example.org:graph.", cardinality = Integer.MAX_VALUE, required = false)
    String[] backend_domain() default {};

    @AttributeDefinition(name = "routing.automatic", description = "Automatic routing: a mailbox its backend refuses (Graph: "
            + "MailboxNotEnabledForRESTAPI, an on-premises mailbox of a hybrid organisation; EWS: HTTP 403, EWS blocked for the "
            + "tenant, the app or the mailbox) moves to the other backend when that one serves it, reported in /status and "
            + "logged once. false: such a mailbox fails until the operator switches it.", type = AttributeType.BOOLEAN)
    boolean routing_automatic() default true;

    @AttributeDefinition(description = "Minutes a mailbox stays on an automatic route before a run tries its configured "
            + "backend again (what refused it may serve it now: a hybrid mailbox moved to Exchange Online, EWS allowed "
            + "again). One refused request per mailbox each time; 0: only a restart or a switch ends an automatic route.",
            min = "0")
    int routing_automaticRetryMinutes() default 60;

    @AttributeDefinition(description = "The Nextcloud-side backend: caldav or vdir.")
    String nextcloudBackend() default "caldav";

    @AttributeDefinition(description = "The Nextcloud calendar the Exchange default calendar is synced to (created if "
            + "missing); empty: the account's default calendar.", required = false)
    String calendarName() default "";

    @AttributeDefinition(description = "The Nextcloud address book the Exchange default contacts are synced to (created "
            + "if missing); empty: the account's default address book.", required = false)
    String addressBookName() default "";

    @AttributeDefinition(description = "What to sync: calendar, contacts.", cardinality = 2)
    String[] kinds() default {"calendar", "contacts"};

    @AttributeDefinition(description = "Seconds a mailbox lease (and this instance's record in the fleet) lasts without "
            + "renewal. The heartbeat renews both every quarter of it; an instance killed or paused longer hands its mailboxes "
            + "to the others after it. A write starts only while two thirds of the lease are left, so it must be at least 1.5 "
            + "times the longest write: DAV connect + read timeout (70 s by default), Graph callTimeoutSeconds (180 s) when "
            + "two-way.", min = "2")
    long leaseSeconds() default 300;

    @AttributeDefinition(description = "This instance's name in the fleet sharing the state database (leases, status), "
            + "unique per running instance and the same after a restart: at start the instance ends the leases its name "
            + "still holds (left by a killed process). Empty: host name and instance directory (host:/var/lib/nexchange).",
            required = false)
    String instanceId() default "";

    @AttributeDefinition(description = "Seconds between progress lines in the log while a cycle runs.")
    long progressSeconds() default 5;

    @AttributeDefinition(description = "false: no periodic cycles (console-triggered syncs only).", type = AttributeType.BOOLEAN)
    boolean scheduled() default true;
}
