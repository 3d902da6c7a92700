package io.nexchange.sandbox.internal.generator;

import io.nexchange.sandbox.internal.store.Contact;
import io.nexchange.sandbox.internal.store.ContactFolder;
import io.nexchange.sandbox.internal.store.Event;
import io.nexchange.sandbox.internal.store.Group;
import io.nexchange.sandbox.internal.store.GraphTime;
import io.nexchange.sandbox.internal.store.Mailbox;
import io.nexchange.sandbox.internal.store.MailboxCache;
import io.nexchange.sandbox.internal.store.MailboxSlot;
import io.nexchange.sandbox.internal.store.Tenant;
import io.nexchange.sandbox.internal.store.TimeZones;
import io.nexchange.sandbox.internal.store.User;
import io.nexchange.sandbox.internal.store.Values;
import io.nexchange.sandbox.internal.recurrence.RecurrenceExpander;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import javax.imageio.ImageIO;

/**
 * Builds a tenant deterministically from a seed: N mailbox users (plus users without a mailbox and
 * disabled users) whose calendars hold single, all-day, multi-day and recurring events of every
 * pattern and range type, with exceptions and cancelled occurrences, in many time zones (Windows
 * names), with attendees, sensitivity, categories, reminders, HTML and long unicode bodies; and
 * contacts with every Graph contact field, some with photos.
 */
public final class TenantGenerator {
    static final String[] GIVEN = {"Adele", "Jürgen", "Zoë", "José", "Łukasz", "Siobhán", "Ngọc", "Aiko", "Dmitri", "Fatima",
        "Lars", "Chloé", "Mateo", "Priya", "Søren", "Björn", "Ana", "Kwame", "Mei", "Oğuz"};
    static final String[] SURNAME = {"Vance", "Müller", "O'Brien", "García", "Kowalski", "Nguyễn", "Tanaka", "Ivanov",
        "Haddad", "Nørgaard", "Dupont", "Silva", "Mensah", "Chen", "Yılmaz", "Andersson", "Rossi", "Patel"};
    static final String[] ZONES = {"W. Europe Standard Time", "Pacific Standard Time", "India Standard Time",
        "Eastern Standard Time", "GMT Standard Time", "Tokyo Standard Time", "AUS Eastern Standard Time",
        "Romance Standard Time", "Central Standard Time", "UTC", "Europe/Berlin", "America/New_York"};
    static final String[] SUBJECTS = {"Weekly sync", "Quarterly review", "1:1 with manager", "Projekt-Kickoff Überblick",
        "Réunion d'équipe", "Budget planning FY26", "Customer call — Contoso", "Design review 🎨", "Lunch & Learn",
        "Sprint retrospective", "会议: 产品路线图", "Встреча с клиентом", "Dentist", "Offsite planning", "Release go/no-go"};
    static final String[] CATEGORIES = {"Red category", "Blue category", "Green category", "Yellow category", "Purple category"};
    static final String[] CITIES = {"Berlin", "München", "Seattle", "Bengaluru", "Tokyo", "Sydney", "Paris", "Zürich", "Kraków"};

    private final long seed;
    private final int mailboxes;
    private final int eventsPerMailbox;
    private final int contactsPerMailbox;
    private final LocalDate anchor;
    private final Clock clock;
    private MailboxMix mix = MailboxMix.ALL_BUSY;
    private Clock liveClock;
    private int cachedMailboxes = 1000;

    public TenantGenerator(long seed, int mailboxes, int eventsPerMailbox, int contactsPerMailbox, LocalDate anchor, Clock clock) {
        this.seed = seed;
        this.mailboxes = mailboxes;
        this.eventsPerMailbox = eventsPerMailbox;
        this.contactsPerMailbox = contactsPerMailbox;
        this.anchor = anchor;
        this.clock = clock;
        this.liveClock = clock;
    }

    /**
     * Which share of the mailboxes is empty, small or busy. A mailbox's class is drawn from the seed and its index
     * alone. Busy mailboxes get eventsPerMailbox/contactsPerMailbox, small ones an eighth of that (at least one).
     * {@link MailboxMix#ALL_BUSY} (the default) makes every mailbox busy, as before the mix existed.
     */
    public record MailboxMix(int emptyPercent, int smallPercent) {
        public static final MailboxMix ALL_BUSY = new MailboxMix(0, 0);

        public MailboxMix {
            if (emptyPercent < 0 || smallPercent < 0 || emptyPercent + smallPercent > 100) {
                throw new IllegalArgumentException("Mailbox mix: empty% and small% must be 0..100 and add up to at most 100, not "
                        + emptyPercent + "/" + smallPercent);
            }
        }

        /** "EMPTY/SMALL/BUSY" percentages, e.g. "80/15/5" (they must add up to 100). */
        public static MailboxMix parse(String text) {
            String[] parts = text.trim().split("/");
            if (parts.length != 3) {
                throw new IllegalArgumentException("Mailbox mix '" + text + "': write EMPTY/SMALL/BUSY percentages, e.g. 80/15/5");
            }
            int empty;
            int small;
            int busy;
            try {
                empty = Integer.parseInt(parts[0].trim());
                small = Integer.parseInt(parts[1].trim());
                busy = Integer.parseInt(parts[2].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Mailbox mix '" + text + "': write EMPTY/SMALL/BUSY percentages, e.g. 80/15/5");
            }
            if (empty + small + busy != 100 || busy < 0) {
                throw new IllegalArgumentException("Mailbox mix '" + text + "': the three percentages must add up to 100");
            }
            return new MailboxMix(empty, small);
        }
    }

    public TenantGenerator mix(MailboxMix m) {
        this.mix = m;
        return this;
    }

    /** The clock mailboxes use once generated (the generation itself runs on the fixed clock, for stable ids). */
    public TenantGenerator liveClock(Clock c) {
        this.liveClock = c;
        return this;
    }

    /** How many generated, unchanged mailboxes stay in memory (most recently used first); others are made again. */
    public TenantGenerator cachedMailboxes(int n) {
        this.cachedMailboxes = n;
        return this;
    }

    public static UUID uuid(long seed, String what) {
        return UUID.nameUUIDFromBytes((seed + ":" + what).getBytes(StandardCharsets.UTF_8));
    }

    public Tenant generate() {
        String domain = "contoso" + (seed == 1 ? "" : Long.toString(Math.abs(seed) % 100000)) + ".onmicrosoft.com";
        Tenant tenant = new Tenant(uuid(seed, "tenant").toString(), domain, "Contoso");
        Random r = new Random(seed);
        MailboxCache cache = new MailboxCache(cachedMailboxes);
        int total = mailboxes + Math.max(1, mailboxes / 10) + Math.max(1, mailboxes / 20);
        for (int i = 0; i < total; i++) {
            String given = GIVEN[i % GIVEN.length];
            String surname = SURNAME[(i * 7 + 3) % SURNAME.length];
            User u = new User(uuid(seed, "user" + i).toString());
            u.givenName = given;
            u.surname = surname;
            u.displayName = given + " " + surname;
            String local = ascii(given).toLowerCase(Locale.ROOT) + "." + ascii(surname).toLowerCase(Locale.ROOT) + (i >= GIVEN.length ? i : "");
            u.userPrincipalName = local + "@" + domain;
            u.jobTitle = new String[] {"Engineer", "Sales Manager", "Consultant", "Director", "Assistant"}[i % 5];
            u.officeLocation = CITIES[i % CITIES.length];
            u.businessPhones.add("+49 30 " + (1000000 + r.nextInt(8999999)));
            u.mobilePhone = i % 3 == 0 ? null : "+1 425 555 " + (1000 + r.nextInt(8999));
            int index = i;
            if (i < mailboxes) {
                u.mail = u.userPrincipalName;
                u.mailboxSlot = new MailboxSlot(() -> mailbox(u, index, true), cache);
            } else if (i < mailboxes + Math.max(1, mailboxes / 10)) {
                // a user without an Exchange Online mailbox (e.g. on-premises or unlicensed)
                u.mail = null;
            } else {
                u.mail = u.userPrincipalName;
                u.accountEnabled = false;
                u.mailboxSlot = new MailboxSlot(() -> mailbox(u, index, false), cache);
            }
            tenant.add(u);
        }
        addGroups(tenant, domain);
        return tenant;
    }

    /**
     * Groups, derived from the user index only (no random numbers), so that adding them left every user, item and
     * id of a seed as it was: "All Company" (Microsoft 365 group, everyone), "Sales" (Microsoft 365 group: every
     * fifth mailbox from the second, and the first user without a mailbox), "Engineering" (mail-enabled security
     * group: every fifth mailbox from the first), "Nexchange Pilot" (security group without mail: the groups
     * "Sales" and "Pilot Wave 2" nested, plus the second and third mailbox directly, so the second is a member
     * twice), "Pilot Wave 2" (security group: every seventh mailbox from the fourth and the first disabled user),
     * "Former Employees" (security group without members).
     */
    private void addGroups(Tenant tenant, String domain) {
        List<User> users = tenant.users();
        int withoutMailbox = Math.max(1, mailboxes / 10);
        User firstWithoutMailbox = users.get(mailboxes);
        User firstDisabled = users.get(mailboxes + withoutMailbox);
        Group all = group("All Company", domain, "allcompany", "Everyone in the organisation", true, false, 0);
        users.forEach(u -> all.memberIds.add(u.id));
        Group sales = group("Sales", domain, "sales", "Sales team", true, false, 1);
        Group engineering = group("Engineering", domain, "engineering", "Engineering (mail-enabled security group)", false, true, 2);
        Group wave2 = group("Pilot Wave 2", null, "pilot-wave-2", "Second wave of the Nexchange pilot", false, true, 4);
        for (int i = 0; i < mailboxes; i++) {
            if (i % 5 == 1) {
                sales.memberIds.add(users.get(i).id);
            }
            if (i % 5 == 0) {
                engineering.memberIds.add(users.get(i).id);
            }
            if (i % 7 == 3) {
                wave2.memberIds.add(users.get(i).id);
            }
        }
        sales.memberIds.add(firstWithoutMailbox.id);
        wave2.memberIds.add(firstDisabled.id);
        Group pilot = group("Nexchange Pilot", null, "nexchange-pilot", "Mailboxes synchronised by Nexchange", false, true, 3);
        pilot.memberIds.add(sales.id);
        for (int i = 1; i < Math.min(3, mailboxes); i++) {
            pilot.memberIds.add(users.get(i).id);
        }
        pilot.memberIds.add(wave2.id);
        Group former = group("Former Employees", null, "former-employees", "Nobody, yet", false, true, 5);
        for (Group g : List.of(all, sales, engineering, pilot, wave2, former)) {
            tenant.add(g);
        }
    }

    private Group group(String name, String domain, String nickname, String description, boolean unified, boolean security, int n) {
        return new Group(uuid(seed, "group:" + nickname).toString(), name, domain == null ? null : nickname + "@" + domain, nickname,
                description, unified, security, "2024-0" + (n + 1) + "-15T08:30:00Z");
    }

    private static String ascii(String s) {
        return java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "")
                .replace("Ł", "L").replace("ł", "l").replace("ø", "o").replace("Ø", "O").replace("ı", "i").replace("'", "");
    }

    /**
     * The mailbox of the user at {@code index}, from the seed and the index only (so it is the same whichever other
     * mailboxes were made before it), with the items of its class when {@code withItems}.
     */
    private Mailbox mailbox(User u, int index, boolean withItems) {
        Mailbox mb = new Mailbox(u, seed * 31 + index, clock);
        if (withItems) {
            long draw = seed * 1_000_003L + index;
            int percentile = Math.floorMod(Long.hashCode(draw * 0x9E3779B97F4A7C15L), 100);
            if (percentile >= mix.emptyPercent() + mix.smallPercent()) {
                fill(mb, new Random(draw), index, eventsPerMailbox, contactsPerMailbox);
            } else if (percentile >= mix.emptyPercent()) {
                fill(mb, new Random(draw), index, Math.max(1, eventsPerMailbox / 8), Math.max(1, contactsPerMailbox / 8));
            }
        }
        mb.useClock(liveClock);
        return mb;
    }

    private void fill(Mailbox mb, Random r, int index, int events, int contacts) {
        List<User> people = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            User p = new User("x");
            p.displayName = GIVEN[(index + k + 1) % GIVEN.length] + " " + SURNAME[(index + k * 3) % SURNAME.length];
            p.mail = ascii(p.displayName).toLowerCase(Locale.ROOT).replace(' ', '.') + "@fabrikam.example";
            people.add(p);
        }
        for (int n = 0; n < events; n++) {
            Event e = baseEvent(r, n, people);
            int kind = n % 10;
            LocalDate day = anchor.plusDays(r.nextInt(150) - 50);
            String zone = ZONES[r.nextInt(ZONES.length)];
            LocalTime time = LocalTime.of(7 + r.nextInt(10), r.nextBoolean() ? 0 : 30);
            if (kind == 1) {
                allDay(e, day, 1, zone);
            } else if (kind == 2) {
                allDay(e, day, 2 + r.nextInt(4), zone);
            } else if (kind == 3) {
                timed(e, day.atTime(time), 60 * 24 + 120, zone); // multi-day, timed
            } else if (kind >= 6) {
                timed(e, day.atTime(time), 30 + 30 * r.nextInt(3), zone);
                e.recurrence = recurrence(r, n, day, zone);
            } else {
                timed(e, day.atTime(time), 30 + 30 * r.nextInt(4), zone);
            }
            if (e.recurrence != null && e.recurrence.pattern.type.startsWith("relative")) {
                // the master's start is the first occurrence, as Outlook saves it
                List<LocalDate> first = RecurrenceExpander.dates(e.recurrence.pattern, e.recurrence.range, day.plusYears(3));
                if (!first.isEmpty()) {
                    LocalDate d = first.get(0);
                    long minutes = java.time.Duration.between(GraphTime.parseLocal(e.start.dateTime), GraphTime.parseLocal(e.end.dateTime)).toMinutes();
                    timed(e, d.atTime(time), (int) minutes, zone);
                    e.recurrence.range.startDate = d.toString();
                }
            }
            Event created = mb.createEvent(null, e);
            if (created.isSeriesMaster() && n % 3 == 0) {
                addExceptionAndCancellation(mb, created, r);
            }
        }
        if (index % 2 == 0) {
            mb.createCalendar("Team Events");
        }
        ContactFolder extra = index % 2 == 0 ? mb.createContactFolder("Suppliers") : null;
        for (int n = 0; n < contacts; n++) {
            Contact c = contact(r, n, index);
            mb.createContact(extra != null && n % 5 == 4 ? extra.id : null, c);
            if (n % 3 == 0) {
                Contact stored = mb.contacts(extra != null && n % 5 == 4 ? extra.id : mb.defaultContactFolder().id)
                        .stream().filter(x -> x.displayName.equals(c.displayName)).reduce((a, b) -> b).orElseThrow();
                mb.setPhoto(stored, photo(r), "image/jpeg", 64);
            }
        }
    }

    private void addExceptionAndCancellation(Mailbox mb, Event master, Random r) {
        var instances = mb.instances(master, anchor.minusDays(60).atStartOfDay().toInstant(ZoneOffset.UTC),
                anchor.plusDays(200).atStartOfDay().toInstant(ZoneOffset.UTC));
        if (instances.size() < 3) {
            return;
        }
        Event toModify = instances.get(1);
        java.time.Instant original = java.time.Instant.parse(toModify.originalStart);
        mb.updateOccurrence(master, original, ex -> {
            ex.subject = ex.subject + " (moved)";
            LocalDateTime s = GraphTime.parseLocal(ex.start.dateTime).plusHours(1);
            LocalDateTime en = GraphTime.parseLocal(ex.end.dateTime).plusHours(1);
            ex.start = new Values.DateTimeTimeZone(GraphTime.local(s), ex.start.timeZone);
            ex.end = new Values.DateTimeTimeZone(GraphTime.local(en), ex.end.timeZone);
            ex.location = location("Room " + (100 + r.nextInt(400)));
        });
        Event toCancel = instances.get(2);
        mb.cancelOccurrence(master, java.time.Instant.parse(toCancel.originalStart));
    }

    private Event baseEvent(Random r, int n, List<User> people) {
        Event e = new Event();
        e.subject = SUBJECTS[r.nextInt(SUBJECTS.length)] + (n % 7 == 0 ? " — überlange Betreffzeile mit Sonderzeichen ✓ «»" : "");
        if (n % 4 == 0) {
            e.body = new Values.ItemBody("html", "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"></head>"
                    + "<body><div><p>Agenda:</p><ul><li>Status &amp; risks</li><li>Next steps für Q3</li></ul>"
                    + "<p style=\"color:#c00\">Bitte vorbereiten — 準備してください</p></div></body></html>");
        } else if (n % 4 == 1) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 40; i++) {
                sb.append("Line ").append(i).append(": Lorem ipsum dolor sit amet, naïve café, Ελληνικά, עברית, 😀\n");
            }
            e.body = new Values.ItemBody("text", sb.toString());
        } else {
            e.body = new Values.ItemBody("text", "");
        }
        e.sensitivity = switch (n % 11) {
            case 4 -> "private";
            case 5 -> "confidential";
            case 6 -> "personal";
            default -> "normal";
        };
        if (n % 3 == 0) {
            e.categories.add(CATEGORIES[r.nextInt(CATEGORIES.length)]);
        }
        if (n % 9 == 0) {
            e.categories.add(CATEGORIES[r.nextInt(CATEGORIES.length)]);
        }
        e.isReminderOn = n % 5 != 0;
        e.reminderMinutesBeforeStart = new int[] {0, 5, 15, 30, 60, 1440}[r.nextInt(6)];
        e.importance = n % 13 == 0 ? "high" : n % 17 == 0 ? "low" : "normal";
        e.showAs = n % 8 == 0 ? "tentative" : n % 12 == 0 ? "oof" : "busy";
        if (n % 2 == 0) {
            e.location = location(n % 4 == 0 ? "Konferenzraum Süd" : CITIES[r.nextInt(CITIES.length)] + " office");
            e.locations.add(e.location);
            int count = 1 + r.nextInt(3);
            for (int k = 0; k < count; k++) {
                Values.Attendee a = new Values.Attendee();
                User p = people.get(k);
                a.emailAddress = new Values.EmailAddress(p.displayName, p.mail);
                a.type = k == 2 ? "optional" : "required";
                if (k == 0) {
                    a.status = new Values.ResponseStatus("accepted", GraphTime.offsetSeconds(anchor.atStartOfDay().toInstant(ZoneOffset.UTC)));
                }
                e.attendees.add(a);
            }
        }
        if (n % 10 == 5) {
            // an invitation received from someone else
            User p = people.get(3);
            e.organizer = new Values.Recipient(new Values.EmailAddress(p.displayName, p.mail));
            e.isOrganizer = false;
            e.responseStatus = new Values.ResponseStatus("accepted", GraphTime.offsetSeconds(anchor.atStartOfDay().toInstant(ZoneOffset.UTC)));
        }
        return e;
    }

    static Values.Location location(String name) {
        Values.Location l = new Values.Location();
        l.displayName = name;
        return l;
    }

    private static void timed(Event e, LocalDateTime start, int minutes, String zone) {
        e.isAllDay = false;
        e.start = new Values.DateTimeTimeZone(GraphTime.local(start), zone);
        e.end = new Values.DateTimeTimeZone(GraphTime.local(start.plusMinutes(minutes)), zone);
    }

    private static void allDay(Event e, LocalDate day, int days, String zone) {
        e.isAllDay = true;
        e.showAs = "free";
        e.start = new Values.DateTimeTimeZone(GraphTime.local(day.atStartOfDay()), zone);
        e.end = new Values.DateTimeTimeZone(GraphTime.local(day.plusDays(days).atStartOfDay()), zone);
    }

    private Values.PatternedRecurrence recurrence(Random r, int n, LocalDate start, String zone) {
        Values.PatternedRecurrence rec = new Values.PatternedRecurrence();
        Values.RecurrencePattern p = new Values.RecurrencePattern();
        Values.RecurrenceRange range = new Values.RecurrenceRange();
        String[] types = {"daily", "weekly", "absoluteMonthly", "relativeMonthly", "absoluteYearly", "relativeYearly", "weekly"};
        p.type = types[(n / 10 + n) % types.length];
        switch (p.type) {
            case "daily" -> p.interval = 1 + r.nextInt(3);
            case "weekly" -> {
                p.interval = 1 + r.nextInt(2);
                p.daysOfWeek.add(start.getDayOfWeek().name().toLowerCase(Locale.ROOT));
                if (r.nextBoolean()) {
                    p.daysOfWeek.add(start.getDayOfWeek().plus(2).name().toLowerCase(Locale.ROOT));
                }
                p.firstDayOfWeek = r.nextBoolean() ? "monday" : "sunday";
            }
            case "absoluteMonthly" -> p.dayOfMonth = start.getDayOfMonth();
            case "relativeMonthly" -> {
                p.daysOfWeek.add(start.getDayOfWeek().name().toLowerCase(Locale.ROOT));
                p.index = new String[] {"first", "second", "third", "fourth", "last"}[r.nextInt(5)];
            }
            case "absoluteYearly" -> {
                p.dayOfMonth = start.getDayOfMonth();
                p.month = start.getMonthValue();
            }
            default -> {
                p.daysOfWeek.add(DayOfWeek.values()[r.nextInt(7)].name().toLowerCase(Locale.ROOT));
                p.index = new String[] {"first", "last"}[r.nextInt(2)];
                p.month = start.getMonthValue();
            }
        }
        range.startDate = start.toString();
        range.recurrenceTimeZone = zone;
        switch (n % 3) {
            case 0 -> {
                range.type = "endDate";
                range.endDate = start.plusMonths(p.type.endsWith("Yearly") ? 48 : 4).toString();
            }
            case 1 -> {
                range.type = "numbered";
                range.numberOfOccurrences = 5 + r.nextInt(20);
            }
            default -> range.type = "noEnd";
        }
        rec.pattern = p;
        rec.range = range;
        return rec;
    }

    private Contact contact(Random r, int n, int mailboxIndex) {
        Contact c = new Contact();
        String given = GIVEN[(n + mailboxIndex * 3) % GIVEN.length];
        String surname = SURNAME[(n * 5 + mailboxIndex) % SURNAME.length];
        c.givenName = given;
        c.surname = surname;
        c.displayName = given + " " + surname + (n >= GIVEN.length ? " " + n : "");
        c.fileAs = surname + ", " + given;
        c.emailAddresses.add(new Values.EmailAddress(c.displayName, ascii(given + "." + surname).toLowerCase(Locale.ROOT) + n + "@example.org"));
        c.businessPhones.add("+49 89 " + (100000 + r.nextInt(899999)));
        if (n % 2 == 0) {
            c.middleName = "Maria";
            c.nickName = given.substring(0, Math.min(3, given.length()));
            c.title = n % 4 == 0 ? "Dr." : "Ms.";
            c.generation = n % 8 == 0 ? "Jr." : null;
            c.initials = given.charAt(0) + ".M." + surname.charAt(0) + ".";
            c.yomiGivenName = n % 6 == 0 ? "アイコ" : null;
            c.yomiSurname = n % 6 == 0 ? "タナカ" : null;
            c.yomiCompanyName = n % 6 == 0 ? "フ ァ ブ リ カ ム" : null;
            c.emailAddresses.add(new Values.EmailAddress(c.displayName + " (private)", "private" + n + "@example.net"));
            c.imAddresses.add("sip:" + ascii(given).toLowerCase(Locale.ROOT) + n + "@fabrikam.example");
            c.homePhones.add("+49 30 " + (100000 + r.nextInt(899999)));
            c.mobilePhone = "+49 170 " + (1000000 + r.nextInt(8999999));
            c.jobTitle = "Purchasing Lead";
            c.companyName = n % 4 == 0 ? "Fabrikam GmbH & Co. KG" : "Tailspin Toys";
            c.department = "Procurement";
            c.officeLocation = "Building 4, Floor 2";
            c.profession = "Engineer";
            c.businessHomePage = "https://www.fabrikam.example/";
            c.assistantName = "Alex Wilber";
            c.manager = "Megan Bowen";
            c.spouseName = n % 4 == 0 ? "Chris" : null;
            c.children.add("Sam");
            c.birthday = LocalDate.of(1970 + r.nextInt(30), 1 + r.nextInt(12), 1 + r.nextInt(28)).atStartOfDay()
                    .toInstant(ZoneOffset.UTC).toString().replace("Z", "Z");
            c.personalNotes = "Met at the trade fair in Köln. Prefers e-mail — ne pas appeler après 18h.";
            c.categories.add(CATEGORIES[r.nextInt(CATEGORIES.length)]);
            c.homeAddress = address(r, "Hauptstraße " + (1 + r.nextInt(200)), "10115", "Berlin", "Berlin", "Germany");
            c.businessAddress = address(r, "One Microsoft Way", "98052", "Redmond", "WA", "United States");
            c.otherAddress = n % 4 == 0 ? address(r, "Rue de Rivoli 1", "75001", "Paris", null, "France") : new Values.PhysicalAddress();
        }
        return c;
    }

    private static Values.PhysicalAddress address(Random r, String street, String postal, String city, String state, String country) {
        Values.PhysicalAddress a = new Values.PhysicalAddress();
        a.street = street;
        a.postalCode = postal;
        a.city = city;
        a.state = state;
        a.countryOrRegion = country;
        return a;
    }

    static byte[] photo(Random r) {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
        g.fillRect(0, 0, 64, 64);
        g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
        g.fillOval(16, 8, 32, 32);
        g.fillRect(8, 44, 48, 20);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpg", out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** Is the name a zone the sandbox knows (used by tests of the generator). */
    static boolean knownZone(String name) {
        return TimeZones.isKnown(name);
    }
}
