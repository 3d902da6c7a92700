package io.nexchange.sandbox.internal.store;

import io.nexchange.sandbox.internal.Json;
import io.nexchange.sandbox.internal.recurrence.RecurrenceExpander;
import io.nexchange.sandbox.internal.store.ItemIds.Kind;
import io.nexchange.sandbox.internal.store.Values.DateTimeTimeZone;
import io.nexchange.sandbox.internal.store.Values.EmailAddress;
import io.nexchange.sandbox.internal.store.Values.PatternedRecurrence;
import io.nexchange.sandbox.internal.store.Values.Recipient;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;

/**
 * One Exchange mailbox: calendar folders with their items, contact folders with their contacts. Every
 * write goes through here, whether it comes from Graph or from the admin API ("a user in Outlook"), so
 * change keys, timestamps and series bookkeeping are kept in one place. Callers synchronise on the
 * mailbox around compound reads and writes.
 */
public final class Mailbox {
    public final User owner;
    private final byte[] key;
    private volatile Clock clock;
    private final Random keys;
    private long changeCounter;
    /** Counts every change (also deletes, which take no change key), so an unchanged mailbox is seen at once. */
    private long version;
    /** Told once, at the first change after {@link #seal}: the lazy slot then keeps this mailbox for good. */
    private Runnable onFirstChange;

    private final Map<String, CalendarFolder> calendars = new LinkedHashMap<>();
    private final Map<String, Event> events = new LinkedHashMap<>();
    private final Map<String, ContactFolder> contactFolders = new LinkedHashMap<>();
    private final Map<String, Contact> contacts = new LinkedHashMap<>();
    private final String defaultCalendarId;
    private final String defaultContactFolderId;

    public Mailbox(User owner, long seed, Clock clock) {
        this.owner = owner;
        this.clock = clock;
        this.keys = new Random(seed);
        this.key = new byte[16];
        keys.nextBytes(key);
        CalendarFolder calendar = new CalendarFolder(newId(Kind.CALENDAR_FOLDER), "Calendar", true);
        calendar.changeKey = nextChangeKey();
        calendars.put(calendar.id, calendar);
        defaultCalendarId = calendar.id;
        ContactFolder folder = new ContactFolder(newId(Kind.CONTACT_FOLDER), newId(Kind.CONTACT_FOLDER), "Contacts", true);
        contactFolders.put(folder.id, folder);
        defaultContactFolderId = folder.id;
    }

    // ---- ids, change keys, time ------------------------------------------------------------------

    private String newId(Kind kind) {
        byte[] item = new byte[16];
        keys.nextBytes(item);
        return ItemIds.newId(key, kind, item);
    }

    /** A change key like Exchange's: base64 of the mailbox's change-number space and a counter. */
    private String nextChangeKey() {
        changeCounter++;
        ByteBuffer b = ByteBuffer.allocate(22).put(key).putShort((short) (changeCounter >>> 32)).putInt((int) changeCounter);
        return Base64.getEncoder().encodeToString(b.array());
    }

    /** The number of changes made to this mailbox since it was created (generation included). */
    public synchronized long version() {
        return version;
    }

    /** Ends generation: the next change runs {@code onFirstChange} (once). */
    public synchronized void seal(Runnable firstChange) {
        this.onFirstChange = firstChange;
    }

    private void changed() {
        version++;
        Runnable first = onFirstChange;
        if (first != null) {
            onFirstChange = null;
            first.run();
        }
    }

    /** The generator builds with a fixed clock (deterministic ids); the server then switches to real time. */
    public void useClock(Clock c) {
        this.clock = c;
    }

    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    // ---- calendars -------------------------------------------------------------------------------

    public synchronized CalendarFolder defaultCalendar() {
        return calendars.get(defaultCalendarId);
    }

    public synchronized List<CalendarFolder> calendars() {
        return new ArrayList<>(calendars.values());
    }

    public synchronized Optional<CalendarFolder> calendar(String id) {
        if (id == null) {
            return Optional.of(defaultCalendar());
        }
        return Optional.ofNullable(calendars.get(id));
    }

    public synchronized CalendarFolder createCalendar(String name) {
        changed();
        CalendarFolder c = new CalendarFolder(newId(Kind.CALENDAR_FOLDER), name, false);
        c.changeKey = nextChangeKey();
        calendars.put(c.id, c);
        return c;
    }

    // ---- events ----------------------------------------------------------------------------------

    /** Series masters and single items of a calendar folder, in creation order. */
    public synchronized List<Event> items(String calendarId) {
        List<Event> out = new ArrayList<>();
        for (Event e : events.values()) {
            if (e.calendarId.equals(calendarId)) {
                out.add(e);
            }
        }
        return out;
    }

    /** A master or single item by id (not an occurrence). */
    public synchronized Optional<Event> item(String id) {
        return Optional.ofNullable(events.get(id));
    }

    /** Any event by id: item, or occurrence/exception of a series (as a view). */
    public synchronized Optional<Event> event(String id) {
        Event item = events.get(id);
        if (item != null) {
            return Optional.of(item);
        }
        return ItemIds.parseOccurrence(id).flatMap(o -> {
            Event master = events.get(o.masterId());
            if (master == null || !master.isSeriesMaster() || !isOccurrence(master, o.originalStart())) {
                return Optional.empty();
            }
            return Optional.of(instanceAt(master, o.originalStart()));
        });
    }

    public synchronized Event createEvent(String calendarId, Event input) {
        changed();
        Event e = input;
        e.calendarId = calendarId == null ? defaultCalendarId : calendarId;
        byte[] itemKey = new byte[16];
        keys.nextBytes(itemKey);
        e.id = ItemIds.newId(key, Kind.EVENT, itemKey);
        Instant now = now();
        e.createdDateTime = GraphTime.timestamp(now);
        e.iCalUId = GlobalObjectIds.forSeries(now, itemKey);
        if (e.organizer == null) {
            e.organizer = new Recipient(new EmailAddress(owner.displayName, owner.mail));
        }
        e.seriesMasterId = null;
        e.originalStart = null;
        normalize(e);
        touch(e);
        events.put(e.id, e);
        return e;
    }

    /** Applies an edit to a master or single item (not an occurrence) and records the change. */
    public synchronized Event updateItem(Event item, Consumer<Event> edit) {
        changed();
        PatternedRecurrence before = item.recurrence;
        edit.accept(item);
        normalize(item);
        if (item.isSeriesMaster() && before != null && !sameJson(before, item.recurrence)) {
            // a changed pattern drops exceptions that no longer match an occurrence, as Outlook does
            item.exceptions.keySet().removeIf(start -> !isOccurrence(item, start));
            item.cancelledOccurrences.removeIf(start -> !isOccurrence(item, start));
        }
        touch(item);
        return item;
    }

    /** Turns an occurrence into an exception (or edits the existing exception). */
    public synchronized Event updateOccurrence(Event master, Instant originalStart, Consumer<Event> edit) {
        changed();
        Event exception = master.exceptions.get(originalStart);
        if (exception == null) {
            // deep: the new exception is edited and must not share the master's nested values
            exception = Json.copy(instanceAt(master, originalStart), Event.class);
            exception.calendarId = master.calendarId;
            exception.type = "exception";
        }
        edit.accept(exception);
        exception.type = "exception";
        exception.recurrence = null;
        normalize(exception);
        touch(exception);
        master.exceptions.put(originalStart, exception);
        touch(master);
        return Json.copy(exception, Event.class);
    }

    public synchronized void cancelOccurrence(Event master, Instant originalStart) {
        changed();
        master.exceptions.remove(originalStart);
        master.cancelledOccurrences.add(originalStart);
        touch(master);
    }

    public synchronized void deleteItem(Event item) {
        changed();
        events.remove(item.id);
    }

    /** Moves the end of a series to a date (the last day on which it still occurs). */
    public synchronized void endSeries(Event master, LocalDate lastDate) {
        updateItem(master, m -> {
            // a new recurrence object, so the change is seen as one (and views keep the old one)
            m.recurrence = Json.copy(m.recurrence, PatternedRecurrence.class);
            m.recurrence.range.type = "endDate";
            m.recurrence.range.endDate = lastDate.toString();
            m.recurrence.range.numberOfOccurrences = 0;
        });
    }

    /** The original starts of a series' occurrences up to the day of {@code until} (cancelled ones included). */
    public synchronized List<Instant> occurrenceStarts(Event master, Instant until) {
        ZoneId zone = seriesZone(master);
        List<Instant> starts = new ArrayList<>();
        for (LocalDate d : RecurrenceExpander.dates(master.recurrence.pattern, master.recurrence.range, until.atZone(zone).toLocalDate())) {
            starts.add(occurrenceStart(master, d));
        }
        return starts;
    }

    public synchronized boolean isOccurrence(Event master, Instant originalStart) {
        ZoneId zone = seriesZone(master);
        LocalDate date = originalStart.atZone(zone).toLocalDate();
        for (LocalDate d : RecurrenceExpander.dates(master.recurrence.pattern, master.recurrence.range, date)) {
            if (d.equals(date)) {
                return occurrenceStart(master, d).equals(originalStart);
            }
        }
        return false;
    }

    /**
     * The instances of an item that overlap [from, to): the item itself for a single item; the
     * occurrences and exceptions for a series master (cancelled ones left out). Views are copies.
     */
    public synchronized List<Event> instances(Event item, Instant from, Instant to) {
        List<Event> out = new ArrayList<>();
        if (!item.isSeriesMaster()) {
            if (overlaps(item, from, to)) {
                out.add(item.shallowCopy());
            }
            return out;
        }
        ZoneId zone = seriesZone(item);
        LocalDate until = to.atZone(zone).toLocalDate().plusDays(1);
        java.util.Set<Instant> seen = new java.util.HashSet<>();
        for (LocalDate d : RecurrenceExpander.dates(item.recurrence.pattern, item.recurrence.range, until)) {
            Instant originalStart = occurrenceStart(item, d);
            seen.add(originalStart);
            if (item.cancelledOccurrences.contains(originalStart)) {
                continue;
            }
            Event exception = item.exceptions.get(originalStart);
            Event view = exception != null ? exception : null;
            if (view != null) {
                if (overlaps(view, from, to)) {
                    out.add(view.shallowCopy());
                }
            } else {
                Event occurrence = instanceAt(item, originalStart);
                if (overlaps(occurrence, from, to)) {
                    out.add(occurrence);
                }
            }
        }
        // an exception moved into the window from an original date beyond it
        for (Map.Entry<Instant, Event> ex : item.exceptions.entrySet()) {
            if (!seen.contains(ex.getKey()) && overlaps(ex.getValue(), from, to)) {
                out.add(ex.getValue().shallowCopy());
            }
        }
        out.sort((a, b) -> startOf(a).compareTo(startOf(b)));
        return out;
    }

    /** The occurrence of a series at an original start, as Graph shows it (exception if modified). */
    private Event instanceAt(Event master, Instant originalStart) {
        Event exception = master.exceptions.get(originalStart);
        if (exception != null) {
            return exception.shallowCopy();
        }
        Event o = master.shallowCopy();
        o.id = ItemIds.occurrenceId(master.id, originalStart);
        o.type = "occurrence";
        o.seriesMasterId = master.id;
        o.recurrence = null;
        ZoneId zone = seriesZone(master);
        LocalDate date = originalStart.atZone(zone).toLocalDate();
        o.iCalUId = GlobalObjectIds.forInstance(master.iCalUId, date);
        o.originalStart = GraphTime.offsetSeconds(originalStart);
        ZoneId startZone = TimeZones.zoneOrUtc(master.start.timeZone);
        ZoneId endZone = TimeZones.zoneOrUtc(master.end.timeZone);
        LocalDateTime masterStart = GraphTime.parseLocal(master.start.dateTime);
        LocalDateTime masterEnd = GraphTime.parseLocal(master.end.dateTime);
        if (Boolean.TRUE.equals(master.isAllDay)) {
            long days = ChronoUnit.DAYS.between(masterStart.toLocalDate(), masterEnd.toLocalDate());
            o.start = new DateTimeTimeZone(GraphTime.local(date.atStartOfDay()), master.start.timeZone);
            o.end = new DateTimeTimeZone(GraphTime.local(date.plusDays(days).atStartOfDay()), master.end.timeZone);
        } else {
            Duration length = Duration.between(masterStart.atZone(startZone), masterEnd.atZone(endZone));
            o.start = new DateTimeTimeZone(GraphTime.local(LocalDateTime.ofInstant(originalStart, startZone)), master.start.timeZone);
            o.end = new DateTimeTimeZone(GraphTime.local(LocalDateTime.ofInstant(originalStart.plus(length), endZone)), master.end.timeZone);
        }
        return o;
    }

    private Instant occurrenceStart(Event master, LocalDate date) {
        LocalDateTime masterStart = GraphTime.parseLocal(master.start.dateTime);
        // occurrences keep the master's wall-clock time in the series' zone (across DST changes)
        ZoneId zone = seriesZone(master);
        ZoneId startZone = TimeZones.zoneOrUtc(master.start.timeZone);
        LocalDateTime wall = masterStart.atZone(startZone).withZoneSameInstant(zone).toLocalDateTime();
        return date.atTime(wall.toLocalTime()).atZone(zone).toInstant();
    }

    private static ZoneId seriesZone(Event master) {
        String tz = master.recurrence != null && master.recurrence.range.recurrenceTimeZone != null
                ? master.recurrence.range.recurrenceTimeZone : master.start.timeZone;
        return TimeZones.zoneOrUtc(tz);
    }

    public static Instant startOf(Event e) {
        return GraphTime.parseLocal(e.start.dateTime).atZone(TimeZones.zoneOrUtc(e.start.timeZone)).toInstant();
    }

    public static Instant endOf(Event e) {
        return GraphTime.parseLocal(e.end.dateTime).atZone(TimeZones.zoneOrUtc(e.end.timeZone)).toInstant();
    }

    private static boolean overlaps(Event e, Instant from, Instant to) {
        Instant s = startOf(e);
        Instant end = endOf(e);
        if (!end.isAfter(s)) {
            return !s.isBefore(from) && s.isBefore(to);
        }
        return s.isBefore(to) && end.isAfter(from);
    }

    private void touch(Event e) {
        e.changeKey = nextChangeKey();
        e.lastModifiedDateTime = GraphTime.timestamp(now());
        if (e.createdDateTime == null) {
            e.createdDateTime = e.lastModifiedDateTime;
        }
    }

    /** Fills what Graph derives: type, original zones, echo forms of the recurrence, body preview. */
    private void normalize(Event e) {
        if (!"exception".equals(e.type)) {
            e.type = e.recurrence != null ? "seriesMaster" : "singleInstance";
        }
        if (e.start != null) {
            e.start.dateTime = GraphTime.local(GraphTime.parseLocal(e.start.dateTime));
            e.originalStartTimeZone = e.start.timeZone;
        }
        if (e.end != null) {
            e.end.dateTime = GraphTime.local(GraphTime.parseLocal(e.end.dateTime));
            e.originalEndTimeZone = e.end.timeZone;
        }
        if (e.recurrence != null) {
            normalizeRecurrence(e);
        }
        if (e.body == null) {
            e.body = new Values.ItemBody();
        }
        e.body.contentType = e.body.contentType == null ? "text" : e.body.contentType.toLowerCase(Locale.ROOT);
        e.bodyPreview = preview(e.body);
        if (e.location == null) {
            e.location = new Values.Location();
        }
        e.webLink = "https://outlook.office365.com/owa/?itemid=" + e.id.replace("=", "%3D") + "&exvsurl=1&path=/calendar/item";
        onlineMeeting(e);
    }

    /**
     * As Exchange Online: an event made an online meeting gets its Teams (the tenant's default provider) join
     * information once, and stays online (later changes of isOnlineMeeting are ignored). Join link, conference id and
     * toll number are derived from the item id, in the shapes of Microsoft's published examples.
     */
    private static void onlineMeeting(Event e) {
        if (e.onlineMeeting != null) {
            e.isOnlineMeeting = Boolean.TRUE;
            return;
        }
        if (!Boolean.TRUE.equals(e.isOnlineMeeting)) {
            e.onlineMeetingProvider = "unknown";
            return;
        }
        if (e.onlineMeetingProvider == null || "unknown".equals(e.onlineMeetingProvider)) {
            e.onlineMeetingProvider = "teamsForBusiness";
        }
        byte[] digest;
        try {
            digest = java.security.MessageDigest.getInstance("SHA-256").digest(e.id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e1) {
            throw new IllegalStateException(e1);
        }
        String thread = Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 40);
        long conference = (ByteBuffer.wrap(digest).getLong() & Long.MAX_VALUE) % 900_000_000L + 100_000_000L;
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("joinUrl", "https://teams.microsoft.com/l/meetup-join/19%3ameeting_" + thread + "%40thread.v2/0");
        info.put("conferenceId", Long.toString(conference));
        info.put("tollNumber", "+1 425 555 0123");
        e.onlineMeeting = info;
    }

    private static void normalizeRecurrence(Event e) {
        Values.RecurrencePattern p = e.recurrence.pattern;
        Values.RecurrenceRange r = e.recurrence.range;
        p.type = p.type == null ? "daily" : p.type;
        List<String> days = new ArrayList<>();
        for (String d : p.daysOfWeek == null ? List.<String>of() : p.daysOfWeek) {
            days.add(d.toLowerCase(Locale.ROOT));
        }
        p.daysOfWeek = days;
        p.firstDayOfWeek = p.firstDayOfWeek == null ? "sunday" : p.firstDayOfWeek.toLowerCase(Locale.ROOT);
        p.index = p.index == null ? "first" : p.index.toLowerCase(Locale.ROOT);
        if (r.startDate == null && e.start != null) {
            r.startDate = GraphTime.parseLocal(e.start.dateTime).toLocalDate().toString();
        }
        if (r.endDate == null || !"endDate".equals(r.type)) {
            r.endDate = "0001-01-01";
        }
        if (!"numbered".equals(r.type)) {
            r.numberOfOccurrences = 0;
        }
        if (r.recurrenceTimeZone == null && e.start != null) {
            r.recurrenceTimeZone = e.start.timeZone;
        }
    }

    static String preview(Values.ItemBody body) {
        String text = body.content == null ? "" : body.content;
        if ("html".equals(body.contentType)) {
            text = text.replaceAll("(?is)<(script|style)[^>]*>.*?</\\1>", " ").replaceAll("<[^>]+>", " ")
                    .replace("&nbsp;", " ").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
        }
        text = text.replaceAll("\\s+", " ").trim();
        return text.length() > 255 ? text.substring(0, 255) : text;
    }

    private static boolean sameJson(Object a, Object b) {
        return Json.MAPPER.valueToTree(a).equals(Json.MAPPER.valueToTree(b));
    }

    // ---- contacts --------------------------------------------------------------------------------

    public synchronized ContactFolder defaultContactFolder() {
        return contactFolders.get(defaultContactFolderId);
    }

    /** All folders, the default one first. */
    public synchronized List<ContactFolder> contactFolders() {
        return new ArrayList<>(contactFolders.values());
    }

    public synchronized Optional<ContactFolder> contactFolder(String id) {
        if (id == null || "contacts".equalsIgnoreCase(id)) {
            return Optional.of(defaultContactFolder());
        }
        return Optional.ofNullable(contactFolders.get(id));
    }

    public synchronized ContactFolder createContactFolder(String displayName) {
        changed();
        ContactFolder f = new ContactFolder(newId(Kind.CONTACT_FOLDER), defaultContactFolderId, displayName, false);
        contactFolders.put(f.id, f);
        return f;
    }

    public synchronized List<Contact> contacts(String folderId) {
        List<Contact> out = new ArrayList<>();
        for (Contact c : contacts.values()) {
            if (c.parentFolderId.equals(folderId)) {
                out.add(c);
            }
        }
        return out;
    }

    public synchronized Collection<Contact> allContacts() {
        return new ArrayList<>(contacts.values());
    }

    public synchronized Optional<Contact> contact(String id) {
        return Optional.ofNullable(contacts.get(id));
    }

    public synchronized Contact createContact(String folderId, Contact c) {
        changed();
        c.id = newId(Kind.CONTACT);
        c.parentFolderId = folderId == null ? defaultContactFolderId : folderId;
        c.createdDateTime = null;
        normalize(c);
        touch(c);
        contacts.put(c.id, c);
        return c;
    }

    public synchronized Contact updateContact(Contact c, Consumer<Contact> edit) {
        changed();
        edit.accept(c);
        normalize(c);
        touch(c);
        return c;
    }

    public synchronized void setPhoto(Contact c, byte[] photo, String contentType, int size) {
        changed();
        c.photo = photo;
        c.photoContentType = contentType;
        c.photoSize = size;
        touch(c);
    }

    public synchronized void deleteContact(Contact c) {
        changed();
        contacts.remove(c.id);
    }

    private void touch(Contact c) {
        c.changeKey = nextChangeKey();
        c.lastModifiedDateTime = GraphTime.timestamp(now());
        if (c.createdDateTime == null) {
            c.createdDateTime = c.lastModifiedDateTime;
        }
    }

    private static void normalize(Contact c) {
        if (c.displayName == null || c.displayName.isBlank()) {
            StringBuilder sb = new StringBuilder();
            for (String part : new String[] {c.givenName, c.middleName, c.surname}) {
                if (part != null && !part.isBlank()) {
                    sb.append(sb.length() == 0 ? "" : " ").append(part);
                }
            }
            c.displayName = sb.toString();
        }
        if (c.fileAs == null) {
            c.fileAs = "";
        }
    }
}
