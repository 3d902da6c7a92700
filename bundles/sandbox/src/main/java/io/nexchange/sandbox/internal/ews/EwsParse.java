package io.nexchange.sandbox.internal.ews;

import static io.nexchange.sandbox.internal.ews.EwsXml.elements;
import static io.nexchange.sandbox.internal.ews.EwsXml.t;
import static io.nexchange.sandbox.internal.ews.EwsXml.text;

import io.nexchange.sandbox.internal.store.Contact;
import io.nexchange.sandbox.internal.store.Event;
import io.nexchange.sandbox.internal.store.GraphTime;
import io.nexchange.sandbox.internal.store.Mailbox;
import io.nexchange.sandbox.internal.store.TimeZones;
import io.nexchange.sandbox.internal.store.Values;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.w3c.dom.Element;

/**
 * Applies EWS item XML (CreateItem items, SetItemField values) to store items, and DeleteItemField
 * field URIs. Whatever element is present is set; absent ones are left alone, so the same code serves
 * a full create and a one-property update. Indexed properties (email addresses, phones, physical
 * addresses) merge by key.
 */
final class EwsParse {
    private EwsParse() {
    }

    // ---- calendar items ------------------------------------------------------------------------------

    static void applyCalendarItem(Element item, Event e) {
        applyCalendarItem(item, e, true);
    }

    /**
     * Applies the properties of a CalendarItem element. {@code validate} false: one SetItemField of an UpdateItem,
     * whose changes Exchange checks together when it saves the item ({@link #checkTimes}), not one by one (a new
     * Start later than the old End is fine when the same change also sets End).
     */
    static void applyCalendarItem(Element item, Event e, boolean validate) {
        Instant start = e.start == null ? null : Mailbox.startOf(e);
        Instant end = e.end == null ? null : Mailbox.endOf(e);
        String startZone = e.start == null ? "UTC" : e.start.timeZone;
        String endZone = e.end == null ? null : e.end.timeZone;
        boolean timesTouched = false;
        for (Element c : elements(item)) {
            String v = text(c);
            switch (c.getLocalName()) {
                case "Subject" -> e.subject = v;
                case "Body" -> {
                    String type = c.getAttribute("BodyType");
                    e.body = new Values.ItemBody("HTML".equalsIgnoreCase(type) ? "html" : "text", c.getTextContent());
                }
                case "Sensitivity" -> e.sensitivity = v.toLowerCase(Locale.ROOT);
                case "Categories" -> e.categories = strings(c);
                case "Importance" -> e.importance = v.toLowerCase(Locale.ROOT);
                case "ReminderIsSet" -> e.isReminderOn = bool(v);
                case "ReminderMinutesBeforeStart" -> e.reminderMinutesBeforeStart = Integer.parseInt(v);
                case "UID" -> e.iCalUId = v;
                case "Start" -> {
                    start = instant(v);
                    timesTouched = true;
                }
                case "End" -> {
                    end = instant(v);
                    timesTouched = true;
                }
                case "IsAllDayEvent" -> e.isAllDay = bool(v);
                case "LegacyFreeBusyStatus" -> e.showAs = showAs(v);
                case "Location" -> {
                    e.location = new Values.Location();
                    e.location.displayName = v;
                }
                case "IsResponseRequested" -> e.responseRequested = bool(v);
                case "AllowNewTimeProposal" -> e.allowNewTimeProposals = bool(v);
                case "RequiredAttendees" -> setAttendees(e, c, "required");
                case "OptionalAttendees" -> setAttendees(e, c, "optional");
                case "Resources" -> setAttendees(e, c, "resource");
                case "Recurrence" -> e.recurrence = recurrence(c);
                case "StartTimeZone" -> {
                    startZone = zoneId(c, startZone);
                    timesTouched = true;
                }
                case "EndTimeZone" -> {
                    endZone = zoneId(c, endZone);
                    timesTouched = true;
                }
                case "MeetingTimeZone" -> {
                    String name = c.getAttribute("TimeZoneName");
                    if (!name.isEmpty() && TimeZones.isKnown(name)) {
                        startZone = name;
                        timesTouched = true;
                    }
                }
                default -> {
                    // read-only or not emulated (ItemId, ParentFolderId, ExtendedProperty, …): ignored like Exchange ignores unknowns it cannot set
                }
            }
        }
        if (endZone == null) {
            endZone = startZone;
        }
        if (timesTouched || e.start == null) {
            if (start == null || end == null) {
                throw EwsException.response("ErrorInvalidPropertySet", "A calendar item needs Start and End.");
            }
            if (validate && end.isBefore(start)) {
                throw EwsException.response("ErrorCalendarEndDateIsEarlierThanStartDate", "EndDate is earlier than StartDate");
            }
            e.start = at(start, startZone);
            e.end = at(end, endZone);
        }
        if (e.recurrence != null && e.recurrence.range.startDate == null) {
            e.recurrence.range.startDate = GraphTime.parseLocal(e.start.dateTime).toLocalDate().toString();
        }
    }

    /** The check Exchange makes when it saves an updated item. */
    static void checkTimes(Event e) {
        if (e.start != null && e.end != null && Mailbox.endOf(e).isBefore(Mailbox.startOf(e))) {
            throw EwsException.response("ErrorCalendarEndDateIsEarlierThanStartDate", "EndDate is earlier than StartDate");
        }
    }

    private static Values.DateTimeTimeZone at(Instant instant, String zoneName) {
        ZoneId zone = TimeZones.zoneOrUtc(zoneName);
        return new Values.DateTimeTimeZone(GraphTime.local(LocalDateTime.ofInstant(instant, zone)), zoneName);
    }

    private static String zoneId(Element c, String fallback) {
        String id = c.getAttribute("Id");
        return !id.isEmpty() && TimeZones.isKnown(id) ? id : fallback;
    }

    private static void setAttendees(Event e, Element list, String type) {
        List<Values.Attendee> kept = new ArrayList<>();
        for (Values.Attendee a : e.attendees == null ? List.<Values.Attendee>of() : e.attendees) {
            if (!type.equalsIgnoreCase(a.type)) {
                kept.add(a);
            }
        }
        for (Element at : EwsXml.children(list, EwsXml.TYPES, "Attendee")) {
            Element mb = t(at, "Mailbox");
            Values.Attendee a = new Values.Attendee();
            a.type = type;
            a.emailAddress = new Values.EmailAddress(text(t(mb, "Name")), text(t(mb, "EmailAddress")));
            if (a.emailAddress.name == null) {
                a.emailAddress.name = a.emailAddress.address;
            }
            String response = text(t(at, "ResponseType"));
            if (response != null) {
                a.status.response = graphResponse(response);
            }
            kept.add(a);
        }
        e.attendees = kept;
    }

    static Values.PatternedRecurrence recurrence(Element r) {
        Values.PatternedRecurrence out = new Values.PatternedRecurrence();
        Values.RecurrencePattern p = new Values.RecurrencePattern();
        Values.RecurrenceRange range = new Values.RecurrenceRange();
        out.pattern = p;
        out.range = range;
        for (Element c : elements(r)) {
            String interval = text(t(c, "Interval"));
            if (interval != null) {
                p.interval = Integer.parseInt(interval);
            }
            switch (c.getLocalName()) {
                case "DailyRecurrence" -> p.type = "daily";
                case "WeeklyRecurrence" -> {
                    p.type = "weekly";
                    p.daysOfWeek = days(text(t(c, "DaysOfWeek")));
                    String first = text(t(c, "FirstDayOfWeek"));
                    p.firstDayOfWeek = first == null ? "sunday" : first.toLowerCase(Locale.ROOT);
                }
                case "AbsoluteMonthlyRecurrence" -> {
                    p.type = "absoluteMonthly";
                    p.dayOfMonth = Integer.parseInt(text(t(c, "DayOfMonth")));
                }
                case "RelativeMonthlyRecurrence" -> {
                    p.type = "relativeMonthly";
                    p.daysOfWeek = days(text(t(c, "DaysOfWeek")));
                    p.index = text(t(c, "DayOfWeekIndex")).toLowerCase(Locale.ROOT);
                }
                case "AbsoluteYearlyRecurrence" -> {
                    p.type = "absoluteYearly";
                    p.dayOfMonth = Integer.parseInt(text(t(c, "DayOfMonth")));
                    p.month = month(text(t(c, "Month")));
                }
                case "RelativeYearlyRecurrence" -> {
                    p.type = "relativeYearly";
                    p.daysOfWeek = days(text(t(c, "DaysOfWeek")));
                    p.index = text(t(c, "DayOfWeekIndex")).toLowerCase(Locale.ROOT);
                    p.month = month(text(t(c, "Month")));
                }
                case "NoEndRecurrence" -> {
                    range.type = "noEnd";
                    range.startDate = date(text(t(c, "StartDate")));
                }
                case "EndDateRecurrence" -> {
                    range.type = "endDate";
                    range.startDate = date(text(t(c, "StartDate")));
                    range.endDate = date(text(t(c, "EndDate")));
                }
                case "NumberedRecurrence" -> {
                    range.type = "numbered";
                    range.startDate = date(text(t(c, "StartDate")));
                    range.numberOfOccurrences = Integer.parseInt(text(t(c, "NumberOfOccurrences")));
                }
                default -> throw EwsException.schema("unknown recurrence element " + c.getLocalName());
            }
        }
        if (p.type == null || range.type == null) {
            throw EwsException.response("ErrorInvalidRecurrence", "The recurrence pattern or range is missing.");
        }
        return out;
    }

    /** "Monday Wednesday", or the relative forms Day / Weekday / WeekendDay. */
    private static List<String> days(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (String d : text.trim().split("\\s+")) {
            switch (d) {
                case "Day" -> out.addAll(List.of("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"));
                case "Weekday" -> out.addAll(List.of("monday", "tuesday", "wednesday", "thursday", "friday"));
                case "WeekendDay" -> out.addAll(List.of("saturday", "sunday"));
                default -> out.add(d.toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    private static int month(String name) {
        return java.time.Month.valueOf(name.toUpperCase(Locale.ROOT)).getValue();
    }

    /** xs:date, possibly with a zone suffix ("2026-01-05Z", "2026-01-05-08:00"). */
    private static String date(String text) {
        return text == null ? null : text.substring(0, 10);
    }

    static void deleteCalendarField(String fieldUri, Event e) {
        switch (fieldUri) {
            case "item:Body" -> e.body = new Values.ItemBody();
            case "item:Categories" -> e.categories = new ArrayList<>();
            case "item:Subject" -> e.subject = "";
            case "calendar:Location" -> e.location = new Values.Location();
            case "calendar:Recurrence" -> e.recurrence = null;
            case "calendar:RequiredAttendees" -> e.attendees.removeIf(a -> "required".equals(a.type));
            case "calendar:OptionalAttendees" -> e.attendees.removeIf(a -> "optional".equals(a.type));
            case "calendar:Resources" -> e.attendees.removeIf(a -> "resource".equals(a.type));
            case "item:ReminderMinutesBeforeStart" -> e.reminderMinutesBeforeStart = 15;
            default -> throw EwsException.response("ErrorInvalidPropertyDelete", "This property can not be deleted: " + fieldUri);
        }
    }

    // ---- contacts --------------------------------------------------------------------------------------

    /**
     * Graph's id of the named property an ExtendedFieldURI names ({@code String {guid} Name X}), or null for a
     * property by tag or by distinguished property set (not emulated).
     */
    static String namedPropertyId(Element uri) {
        if (uri == null || uri.getAttribute("PropertySetId").isEmpty() || uri.getAttribute("PropertyName").isEmpty()) {
            return null;
        }
        String type = uri.getAttribute("PropertyType").isEmpty() ? "String" : uri.getAttribute("PropertyType");
        return type + " {" + uri.getAttribute("PropertySetId").toLowerCase(java.util.Locale.ROOT) + "} Name "
                + uri.getAttribute("PropertyName");
    }

    static void applyContact(Element item, Contact c) {
        for (Element el : elements(item)) {
            String v = text(el);
            switch (el.getLocalName()) {
                case "Body" -> c.personalNotes = el.getTextContent();
                case "Categories" -> c.categories = strings(el);
                case "ExtendedProperty" -> {
                    // a named property, kept under Graph's id for it: both protocols see the same property
                    String id = EwsParse.namedPropertyId(EwsXml.t(el, "ExtendedFieldURI"));
                    if (id != null) {
                        c.extendedProperties.put(id, text(EwsXml.t(el, "Value")));
                    }
                }
                case "FileAs" -> c.fileAs = v;
                case "DisplayName" -> c.displayName = v;
                case "GivenName" -> c.givenName = v;
                case "Initials" -> c.initials = v;
                case "MiddleName" -> c.middleName = v;
                case "Nickname" -> c.nickName = v;
                case "CompanyName" -> c.companyName = v;
                case "EmailAddresses" -> {
                    for (Element entry : EwsXml.children(el, EwsXml.TYPES, "Entry")) {
                        int index = Integer.parseInt(entry.getAttribute("Key").replace("EmailAddress", "")) - 1;
                        String name = entry.hasAttribute("Name") ? entry.getAttribute("Name") : text(entry);
                        setAt(c.emailAddresses, index, new Values.EmailAddress(name, text(entry)));
                    }
                }
                case "PhysicalAddresses" -> {
                    for (Element entry : EwsXml.children(el, EwsXml.TYPES, "Entry")) {
                        Values.PhysicalAddress a = address(c, entry.getAttribute("Key"));
                        for (Element part : elements(entry)) {
                            String pv = text(part);
                            switch (part.getLocalName()) {
                                case "Street" -> a.street = pv;
                                case "City" -> a.city = pv;
                                case "State" -> a.state = pv;
                                case "CountryOrRegion" -> a.countryOrRegion = pv;
                                case "PostalCode" -> a.postalCode = pv;
                                default -> {
                                }
                            }
                        }
                    }
                }
                case "PhoneNumbers" -> {
                    for (Element entry : EwsXml.children(el, EwsXml.TYPES, "Entry")) {
                        setPhone(c, entry.getAttribute("Key"), text(entry));
                    }
                }
                case "ImAddresses" -> {
                    for (Element entry : EwsXml.children(el, EwsXml.TYPES, "Entry")) {
                        int index = Integer.parseInt(entry.getAttribute("Key").replace("ImAddress", "")) - 1;
                        setAt(c.imAddresses, index, text(entry));
                    }
                }
                case "AssistantName" -> c.assistantName = v;
                case "Birthday" -> c.birthday = GraphTime.offsetSeconds(instant(v));
                case "BusinessHomePage" -> c.businessHomePage = v;
                case "Children" -> c.children = strings(el);
                case "Department" -> c.department = v;
                case "Generation" -> c.generation = v;
                case "JobTitle" -> c.jobTitle = v;
                case "Manager" -> c.manager = v;
                case "OfficeLocation" -> c.officeLocation = v;
                case "Profession" -> c.profession = v;
                case "SpouseName" -> c.spouseName = v;
                case "Surname" -> c.surname = v;
                default -> {
                    // read-only (CompleteName, HasPicture, …) or not emulated
                }
            }
        }
    }

    static void deleteContactField(String fieldUri, String fieldIndex, Contact c) {
        switch (fieldUri) {
            case "item:Body" -> c.personalNotes = "";
            case "item:Categories" -> c.categories = new ArrayList<>();
            case "contacts:EmailAddress" -> removeAt(c.emailAddresses, Integer.parseInt(fieldIndex.replace("EmailAddress", "")) - 1);
            case "contacts:ImAddress" -> removeAt(c.imAddresses, Integer.parseInt(fieldIndex.replace("ImAddress", "")) - 1);
            case "contacts:PhoneNumber" -> setPhone(c, fieldIndex, null);
            case "contacts:Birthday" -> c.birthday = null;
            case "contacts:CompanyName" -> c.companyName = null;
            case "contacts:JobTitle" -> c.jobTitle = null;
            case "contacts:Department" -> c.department = null;
            case "contacts:GivenName" -> c.givenName = null;
            case "contacts:Surname" -> c.surname = null;
            case "contacts:MiddleName" -> c.middleName = null;
            case "contacts:Nickname" -> c.nickName = null;
            case "contacts:Initials" -> c.initials = null;
            case "contacts:Manager" -> c.manager = null;
            case "contacts:AssistantName" -> c.assistantName = null;
            case "contacts:SpouseName" -> c.spouseName = null;
            case "contacts:OfficeLocation" -> c.officeLocation = null;
            case "contacts:Profession" -> c.profession = null;
            case "contacts:BusinessHomePage" -> c.businessHomePage = null;
            case "contacts:Generation" -> c.generation = null;
            case "contacts:Children" -> c.children = new ArrayList<>();
            default -> {
                if (fieldUri.startsWith("contacts:PhysicalAddress:")) {
                    Values.PhysicalAddress a = address(c, fieldIndex);
                    switch (fieldUri.substring("contacts:PhysicalAddress:".length())) {
                        case "Street" -> a.street = null;
                        case "City" -> a.city = null;
                        case "State" -> a.state = null;
                        case "CountryOrRegion" -> a.countryOrRegion = null;
                        case "PostalCode" -> a.postalCode = null;
                        default -> throw EwsException.response("ErrorInvalidPropertyDelete", "This property can not be deleted: " + fieldUri);
                    }
                } else {
                    throw EwsException.response("ErrorInvalidPropertyDelete", "This property can not be deleted: " + fieldUri);
                }
            }
        }
    }

    private static Values.PhysicalAddress address(Contact c, String key) {
        switch (key) {
            case "Business" -> {
                return c.businessAddress = c.businessAddress == null ? new Values.PhysicalAddress() : c.businessAddress;
            }
            case "Home" -> {
                return c.homeAddress = c.homeAddress == null ? new Values.PhysicalAddress() : c.homeAddress;
            }
            case "Other" -> {
                return c.otherAddress = c.otherAddress == null ? new Values.PhysicalAddress() : c.otherAddress;
            }
            default -> throw EwsException.schema("unknown physical address key " + key);
        }
    }

    /** The phone keys Graph has a place for; the others (fax, pager, …) are not kept. */
    private static void setPhone(Contact c, String key, String value) {
        switch (key) {
            case "BusinessPhone" -> setOrRemove(c.businessPhones, 0, value);
            case "BusinessPhone2" -> setOrRemove(c.businessPhones, 1, value);
            case "HomePhone" -> setOrRemove(c.homePhones, 0, value);
            case "HomePhone2" -> setOrRemove(c.homePhones, 1, value);
            case "MobilePhone" -> c.mobilePhone = value;
            default -> {
            }
        }
    }

    private static void setOrRemove(List<String> list, int index, String value) {
        if (value == null) {
            removeAt(list, index);
        } else {
            setAt(list, index, value);
        }
    }

    private static <T> void setAt(List<T> list, int index, T value) {
        if (index < list.size()) {
            list.set(index, value);
        } else {
            list.add(value);
        }
    }

    private static <T> void removeAt(List<T> list, int index) {
        if (index >= 0 && index < list.size()) {
            list.remove(index);
        }
    }

    // ---- values ----------------------------------------------------------------------------------------

    static List<String> strings(Element parent) {
        List<String> out = new ArrayList<>();
        for (Element s : EwsXml.children(parent, EwsXml.TYPES, "String")) {
            out.add(text(s));
        }
        return out;
    }

    static boolean bool(String v) {
        return "true".equalsIgnoreCase(v) || "1".equals(v);
    }

    /** xs:dateTime: with Z or an offset; without either it is taken as UTC. */
    static Instant instant(String v) {
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
        }
    }

    static String showAs(String ews) {
        return switch (ews) {
            case "Free" -> "free";
            case "Tentative" -> "tentative";
            case "OOF" -> "oof";
            case "WorkingElsewhere" -> "workingElsewhere";
            case "NoData" -> "unknown";
            default -> "busy";
        };
    }

    static String graphResponse(String ews) {
        return switch (ews) {
            case "Organizer" -> "organizer";
            case "Tentative" -> "tentativelyAccepted";
            case "Accept" -> "accepted";
            case "Decline" -> "declined";
            case "NoResponseReceived" -> "notResponded";
            default -> "none";
        };
    }
}
