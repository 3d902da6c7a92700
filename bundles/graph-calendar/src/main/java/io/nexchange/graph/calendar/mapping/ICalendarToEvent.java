package io.nexchange.graph.calendar.mapping;

import com.microsoft.graph.models.Attendee;
import com.microsoft.graph.models.AttendeeType;
import com.microsoft.graph.models.BodyType;
import com.microsoft.graph.models.EmailAddress;
import com.microsoft.graph.models.Event;
import com.microsoft.graph.models.FreeBusyStatus;
import com.microsoft.graph.models.Importance;
import com.microsoft.graph.models.ItemBody;
import com.microsoft.graph.models.Location;
import com.microsoft.graph.models.OutlookGeoCoordinates;
import com.microsoft.graph.models.Recipient;
import com.microsoft.graph.models.Sensitivity;
import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAmount;
import java.util.ArrayList;
import java.util.GregorianCalendar;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.data.ParserException;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Parameter;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VAlarm;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.component.VTimeZone;
import net.fortuna.ical4j.model.property.Categories;
import net.fortuna.ical4j.model.property.Geo;
import net.fortuna.ical4j.model.property.Trigger;

/**
 * Reads one iCalendar object (a single event, or a master with overrides) into what Graph must be told:
 * {@link GraphEventWrite}. The reverse of {@link EventToICalendar}: what it wrote comes back as it was,
 * and what other clients write (Nextcloud's web calendar, Thunderbird, iOS) is read as far as Exchange
 * can hold it; an RRULE Exchange cannot express is refused with a {@link MappingException} that says
 * which part.
 */
public final class ICalendarToEvent {

    private final WindowsZones zones;
    private final ZoneId mailboxZone;

    /**
     * @param mailboxZone the zone of the mailbox: floating times are read in it, and all-day events are
     *     written in it (Graph wants a zone even for all-day events)
     */
    public ICalendarToEvent(WindowsZones zones, ZoneId mailboxZone) {
        this.zones = zones;
        this.mailboxZone = mailboxZone;
    }

    public GraphEventWrite fromText(String icalendar) {
        try {
            return fromCalendar(new CalendarBuilder().build(new StringReader(icalendar)));
        } catch (IOException | ParserException e) {
            throw new MappingException("unreadable iCalendar object: " + e.getMessage(), e);
        }
    }

    public GraphEventWrite fromCalendar(Calendar calendar) {
        List<VEvent> vevents = calendar.getComponents(Component.VEVENT);
        if (vevents.isEmpty()) {
            throw new MappingException("the iCalendar object has no VEVENT");
        }
        Map<String, VTimeZone> vtimezones = new TreeMap<>();
        for (VTimeZone vtimezone : calendar.<VTimeZone>getComponents(Component.VTIMEZONE)) {
            text(vtimezone, Property.TZID).ifPresent(tzid -> vtimezones.put(tzid, vtimezone));
        }
        Reader reader = new Reader(vtimezones);

        VEvent master = null;
        List<VEvent> overrides = new ArrayList<>();
        String uid = null;
        for (VEvent vevent : vevents) {
            String eventUid = text(vevent, Property.UID).orElseThrow(() -> new MappingException("a VEVENT has no UID"));
            if (uid != null && !uid.equals(eventUid)) {
                throw new MappingException("the iCalendar object holds two events (UIDs " + uid + " and " + eventUid + ")");
            }
            uid = eventUid;
            if (vevent.getProperty(Property.RECURRENCE_ID).isPresent()) {
                overrides.add(vevent);
            } else if (master != null) {
                throw new MappingException("event " + uid + " has two VEVENTs without RECURRENCE-ID");
            } else {
                master = vevent;
            }
        }
        if (master == null) {
            throw new MappingException("event " + uid + " has only modified occurrences and no series master;"
                + " Exchange cannot hold occurrences without their series");
        }
        for (String unsupported : List.of(Property.RDATE, Property.EXRULE)) {
            if (master.getProperty(unsupported).isPresent()) {
                throw new MappingException("event " + uid + " uses " + unsupported + ", which Exchange recurrences cannot express");
            }
        }
        if (master.getProperties(Property.RRULE).size() > 1) {
            throw new MappingException("event " + uid + " has several RRULEs; Exchange allows one pattern per series");
        }

        IcalTime dtstart = reader.time(master, Property.DTSTART)
            .orElseThrow(() -> new MappingException("event has no DTSTART"));
        Event event = event(master, dtstart, reader);
        Optional<String> rrule = text(master, Property.RRULE);
        if (rrule.isPresent()) {
            ZoneId zone = dtstart.isDate() ? mailboxZone : dtstart.zone() != null ? dtstart.zone() : mailboxZone;
            event.setRecurrence(Recurrences.fromRrule(rrule.get(), dtstart, zone, zones.windowsNameOf(zone)));
        }

        TreeSet<Instant> cancelled = new TreeSet<>();
        for (Property exdate : master.getProperties(Property.EXDATE)) {
            cancelled.addAll(reader.instants(exdate));
        }
        TreeMap<Instant, GraphEventWrite.Occurrence> exceptions = new TreeMap<>();
        for (VEvent override : overrides) {
            Instant originalStart = reader.time(override, Property.RECURRENCE_ID).orElseThrow().instant(mailboxZone);
            if (isCancelled(override)) {
                cancelled.add(originalStart);
                continue;
            }
            IcalTime start = reader.time(override, Property.DTSTART).orElse(dtstart);
            exceptions.put(originalStart, new GraphEventWrite.Occurrence(originalStart, event(override, start, reader)));
        }
        cancelled.removeAll(exceptions.keySet());
        return new GraphEventWrite(uid, event, List.copyOf(exceptions.values()), List.copyOf(cancelled), isCancelled(master));
    }

    private Event event(VEvent vevent, IcalTime start, Reader reader) {
        Event event = new Event();
        event.setSubject(text(vevent, Property.SUMMARY).orElse(""));
        Optional<OnlineMeetings.Join> join = OnlineMeetings.read(vevent);
        event.setBody(body(vevent, join));
        join.filter(j -> j.isTeams() || j.isSkype()).ifPresent(j -> {
            // Exchange makes (or keeps) it an online meeting of that provider and writes the join text itself
            event.setIsOnlineMeeting(true);
            event.setOnlineMeetingProvider(j.provider());
        });
        times(event, vevent, start, reader);
        location(event, vevent);
        people(event, vevent);
        event.setSensitivity(sensitivity(vevent));
        event.setShowAs(showAs(vevent));
        event.setImportance(importance(vevent));
        List<String> categories = new ArrayList<>();
        for (Property property : vevent.getProperties(Property.CATEGORIES)) {
            for (String category : ((Categories) property).getCategories().getTexts()) {
                if (!category.isBlank() && !categories.contains(category)) {
                    categories.add(category);
                }
            }
        }
        event.setCategories(categories);
        reminder(event, vevent, start, reader);
        return event;
    }

    // ---------------------------------------------------------------- fields

    /**
     * DESCRIPTION without the join text of an online meeting: Exchange writes that itself for a Teams or Skype
     * meeting; another provider's join link (Graph can hold no such meeting) stays in the text, with the join text
     * added when the text does not hold the link.
     */
    private static ItemBody body(VEvent vevent, Optional<OnlineMeetings.Join> join) {
        String description = text(vevent, Property.DESCRIPTION).orElse("");
        if (join.isPresent()) {
            description = OnlineMeetings.withoutJoinText(description, join.get());
            if (!join.get().isTeams() && !join.get().isSkype()) {
                description = OnlineMeetings.withJoinText(description, join.get());
            }
        }
        Optional<String> html = text(vevent, EventToICalendar.X_ALT_DESC);
        ItemBody body = new ItemBody();
        // the HTML is taken only while DESCRIPTION still says what the HTML says: a client that edits
        // DESCRIPTION and leaves X-ALT-DESC alone (most do) has changed the text, and the text wins
        if (html.isPresent() && HtmlText.toPlainText(html.get()).equals(HtmlText.tidy(description))) {
            body.setContentType(BodyType.Html);
            body.setContent(html.get());
        } else {
            body.setContentType(BodyType.Text);
            body.setContent(description);
        }
        return body;
    }

    private void times(Event event, VEvent vevent, IcalTime start, Reader reader) {
        Optional<IcalTime> dtend = reader.time(vevent, Property.DTEND);
        IcalTime end;
        if (dtend.isPresent()) {
            end = dtend.get();
        } else {
            Optional<TemporalAmount> duration = vevent.getProperty(Property.DURATION)
                .map(p -> ((net.fortuna.ical4j.model.property.Duration) p).getDuration());
            end = start.isDate()
                ? IcalTime.ofDate(start.date().plus(duration.map(ICalendarToEvent::days).orElse(Period.ofDays(1))))
                : IcalTime.of(start.instant(mailboxZone).plus(duration.orElse(Duration.ZERO)), zoneOf(start));
        }
        if (start.isDate()) {
            event.setIsAllDay(true);
            String zone = zones.windowsNameOf(mailboxZone);
            java.time.LocalDate endDate = end.isDate() ? end.date() : LocalDateTime.ofInstant(end.instant(mailboxZone), mailboxZone).toLocalDate();
            if (!endDate.isAfter(start.date())) {
                endDate = start.date().plusDays(1);
            }
            event.setStart(GraphTimes.of(start.date().atStartOfDay(), zone));
            event.setEnd(GraphTimes.of(endDate.atStartOfDay(), zone));
            return;
        }
        event.setIsAllDay(false);
        ZoneId startZone = zoneOf(start);
        event.setStart(GraphTimes.of(LocalDateTime.ofInstant(start.instant(mailboxZone), startZone), zones.windowsNameOf(startZone)));
        ZoneId endZone = end.isDate() ? startZone : zoneOf(end);
        Instant endInstant = end.instant(mailboxZone);
        event.setEnd(GraphTimes.of(LocalDateTime.ofInstant(endInstant, endZone), zones.windowsNameOf(endZone)));
    }

    private static Period days(TemporalAmount amount) {
        if (amount instanceof Period period) {
            return period;
        }
        return Period.ofDays((int) Math.max(1, ((Duration) amount).toDays()));
    }

    private ZoneId zoneOf(IcalTime time) {
        return time.zone() != null ? time.zone() : mailboxZone;
    }

    private static void location(Event event, VEvent vevent) {
        Location location = new Location();
        location.setDisplayName(text(vevent, Property.LOCATION).orElse(""));
        vevent.getProperty(Property.GEO).ifPresent(p -> {
            Geo geo = (Geo) p;
            OutlookGeoCoordinates coordinates = new OutlookGeoCoordinates();
            coordinates.setLatitude(geo.getLatitude().doubleValue());
            coordinates.setLongitude(geo.getLongitude().doubleValue());
            location.setCoordinates(coordinates);
        });
        event.setLocation(location);
    }

    private static void people(Event event, VEvent vevent) {
        Optional<Property> organizerProperty = vevent.getProperty(Property.ORGANIZER);
        String organizerAddress = organizerProperty.map(ICalendarToEvent::mailto).orElse(null);
        if (organizerAddress != null) {
            event.setOrganizer(recipient(new Recipient(), organizerAddress, param(organizerProperty.get(), Parameter.CN)));
        }
        List<Attendee> attendees = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        boolean anyRsvp = false;
        for (Property property : vevent.getProperties(Property.ATTENDEE)) {
            String address = mailto(property);
            // servers and clients list the organiser among the attendees; Graph does not
            if (address == null || address.equalsIgnoreCase(organizerAddress) || !seen.add(address.toLowerCase(Locale.ROOT))) {
                continue;
            }
            Attendee attendee = recipient(new Attendee(), address, param(property, Parameter.CN));
            String cutype = param(property, Parameter.CUTYPE);
            String role = param(property, Parameter.ROLE);
            if ("RESOURCE".equalsIgnoreCase(cutype) || "ROOM".equalsIgnoreCase(cutype)) {
                attendee.setType(AttendeeType.Resource);
            } else if ("OPT-PARTICIPANT".equalsIgnoreCase(role) || "NON-PARTICIPANT".equalsIgnoreCase(role)) {
                attendee.setType(AttendeeType.Optional);
            } else {
                attendee.setType(AttendeeType.Required);
            }
            anyRsvp |= "TRUE".equalsIgnoreCase(param(property, Parameter.RSVP));
            answer(param(property, Parameter.PARTSTAT)).ifPresent(response -> {
                com.microsoft.graph.models.ResponseStatus status = new com.microsoft.graph.models.ResponseStatus();
                status.setResponse(response);
                attendee.setStatus(status);
            });
            attendees.add(attendee);
        }
        event.setAttendees(attendees);
        if (!attendees.isEmpty()) {
            event.setResponseRequested(anyRsvp);
        }
    }

    /** An attendee's answer (PARTSTAT) as Graph names it; no answer yet (NEEDS-ACTION, …) is none. */
    private static Optional<com.microsoft.graph.models.ResponseType> answer(String partstat) {
        if (partstat == null) {
            return Optional.empty();
        }
        return switch (partstat.toUpperCase(Locale.ROOT)) {
            case "ACCEPTED" -> Optional.of(com.microsoft.graph.models.ResponseType.Accepted);
            case "TENTATIVE" -> Optional.of(com.microsoft.graph.models.ResponseType.TentativelyAccepted);
            case "DECLINED" -> Optional.of(com.microsoft.graph.models.ResponseType.Declined);
            default -> Optional.empty();
        };
    }

    private static <R extends Recipient> R recipient(R recipient, String address, String name) {
        EmailAddress email = new EmailAddress();
        email.setAddress(address);
        if (name != null && !name.isBlank()) {
            email.setName(name);
        }
        recipient.setEmailAddress(email);
        return recipient;
    }

    private static String mailto(Property property) {
        String value = property.getValue();
        if (value == null) {
            return null;
        }
        value = value.trim();
        if (value.regionMatches(true, 0, "mailto:", 0, 7)) {
            value = value.substring(7);
        }
        return value.contains("@") ? value : null;
    }

    private static Sensitivity sensitivity(VEvent vevent) {
        Optional<String> clazz = text(vevent, Property.CLASS).map(c -> c.toUpperCase(Locale.ROOT));
        if (clazz.isEmpty()) {
            return Sensitivity.Normal;
        }
        return switch (clazz.get()) {
            case "PRIVATE" -> text(vevent, EventToICalendar.X_SENSITIVITY).filter("PERSONAL"::equalsIgnoreCase).isPresent()
                ? Sensitivity.Personal : Sensitivity.Private;
            case "CONFIDENTIAL" -> Sensitivity.Confidential;
            default -> Sensitivity.Normal;
        };
    }

    private static FreeBusyStatus showAs(VEvent vevent) {
        boolean transparent = text(vevent, Property.TRANSP).filter("TRANSPARENT"::equalsIgnoreCase).isPresent();
        String busy = text(vevent, EventToICalendar.X_BUSYSTATUS).map(b -> b.toUpperCase(Locale.ROOT)).orElse("");
        // the X- value is Outlook's finer grain; TRANSP is what CalDAV clients edit, and wins when they disagree
        if (transparent) {
            return FreeBusyStatus.Free;
        }
        return switch (busy) {
            case "TENTATIVE" -> FreeBusyStatus.Tentative;
            case "OOF" -> FreeBusyStatus.Oof;
            case "WORKINGELSEWHERE" -> FreeBusyStatus.WorkingElsewhere;
            default -> FreeBusyStatus.Busy;
        };
    }

    private static Importance importance(VEvent vevent) {
        int priority = text(vevent, Property.PRIORITY).map(p -> {
            try {
                return Integer.parseInt(p.trim());
            } catch (NumberFormatException e) {
                return 0;
            }
        }).orElse(0);
        if (priority >= 1 && priority <= 4) {
            return Importance.High;
        }
        return priority >= 6 && priority <= 9 ? Importance.Low : Importance.Normal;
    }

    /** The earliest alarm before the start: Exchange keeps one reminder per event. */
    private void reminder(Event event, VEvent vevent, IcalTime start, Reader reader) {
        Integer minutes = null;
        for (Component component : vevent.getComponents(Component.VALARM)) {
            VAlarm alarm = (VAlarm) component;
            Optional<Trigger> trigger = alarm.getTrigger();
            if (trigger.isEmpty()) {
                continue;
            }
            long before;
            if (trigger.get().isAbsolute()) {
                before = Duration.between(trigger.get().getDate(), start.instant(mailboxZone)).toMinutes();
            } else {
                TemporalAmount amount = trigger.get().getDuration();
                // ical4j reads day and week triggers (-P1D, -P2W) as Periods
                Duration duration = amount instanceof Period period
                    ? Duration.ofDays(period.getDays() + period.toTotalMonths() * 30L)
                    : (Duration) amount;
                if ("END".equalsIgnoreCase(param(trigger.get(), Parameter.RELATED))) {
                    Instant endInstant = reader.time(vevent, Property.DTEND).map(t -> t.instant(mailboxZone)).orElse(start.instant(mailboxZone));
                    duration = duration.plus(Duration.between(start.instant(mailboxZone), endInstant));
                }
                before = -duration.toMinutes();
            }
            int candidate = (int) Math.max(0, before);
            minutes = minutes == null ? candidate : Math.max(minutes, candidate);
        }
        event.setIsReminderOn(minutes != null);
        if (minutes != null) {
            event.setReminderMinutesBeforeStart(minutes);
        }
    }

    private static boolean isCancelled(VEvent vevent) {
        return text(vevent, Property.STATUS).filter("CANCELLED"::equalsIgnoreCase).isPresent();
    }

    // ---------------------------------------------------------------- values

    private static Optional<String> text(Component component, String name) {
        return component.getProperty(name).map(Property::getValue).filter(v -> !v.isBlank());
    }

    private static String param(Property property, String name) {
        return property.getParameter(name).map(Parameter::getValue).orElse(null);
    }

    /** Reads date properties, resolving TZIDs: IANA, Windows names, vendor-prefixed IANA, or the object's VTIMEZONE. */
    private final class Reader {
        private final Map<String, VTimeZone> vtimezones;

        Reader(Map<String, VTimeZone> vtimezones) {
            this.vtimezones = vtimezones;
        }

        Optional<IcalTime> time(Component component, String name) {
            return component.getProperty(name).map(this::time);
        }

        IcalTime time(Property property) {
            return parse(property, property.getValue().trim());
        }

        List<Instant> instants(Property property) {
            List<Instant> instants = new ArrayList<>();
            for (String value : property.getValue().split(",")) {
                if (!value.isBlank()) {
                    instants.add(parse(property, value.trim()).instant(mailboxZone));
                }
            }
            return instants;
        }

        private IcalTime parse(Property property, String value) {
            boolean isDate = "DATE".equalsIgnoreCase(param(property, Parameter.VALUE));
            String tzid = param(property, Parameter.TZID);
            if (tzid == null || value.endsWith("Z") || isDate) {
                return IcalTime.parse(value, isDate, null);
            }
            Optional<ZoneId> zone = resolve(tzid);
            if (zone.isPresent()) {
                return IcalTime.parse(value, false, zone.get());
            }
            VTimeZone vtimezone = vtimezones.get(tzid);
            if (vtimezone == null) {
                throw new MappingException("time zone '" + tzid + "' is neither an IANA nor a Windows zone and the object does not define it");
            }
            // a zone only the object defines: take the instant through its VTIMEZONE and write it in UTC
            IcalTime floating = IcalTime.parse(value, false, null);
            java.util.TimeZone custom = new net.fortuna.ical4j.model.TimeZone(vtimezone);
            GregorianCalendar local = new GregorianCalendar(custom);
            local.clear();
            LocalDateTime t = floating.local();
            local.set(t.getYear(), t.getMonthValue() - 1, t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond());
            return IcalTime.of(Instant.ofEpochMilli(local.getTimeInMillis()), ZoneOffset.UTC);
        }

        private Optional<ZoneId> resolve(String tzid) {
            Optional<ZoneId> zone = zones.zoneOf(tzid);
            if (zone.isPresent()) {
                return zone;
            }
            // vendor prefixes ("/freeassociation.sourceforge.net/Tzfile/America/New_York"): the longest
            // trailing run of path segments that is an IANA name
            String[] segments = tzid.trim().split("/");
            for (int n = Math.min(3, segments.length); n >= 2; n--) {
                String candidate = String.join("/", java.util.Arrays.copyOfRange(segments, segments.length - n, segments.length));
                zone = zones.zoneOf(candidate);
                if (zone.isPresent()) {
                    return zone;
                }
            }
            return Optional.empty();
        }
    }
}
