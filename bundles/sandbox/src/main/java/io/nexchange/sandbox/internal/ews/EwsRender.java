package io.nexchange.sandbox.internal.ews;

import io.nexchange.sandbox.internal.ews.EwsXml.Out;
import io.nexchange.sandbox.internal.store.CalendarFolder;
import io.nexchange.sandbox.internal.store.Contact;
import io.nexchange.sandbox.internal.store.Event;
import io.nexchange.sandbox.internal.store.ItemIds;
import io.nexchange.sandbox.internal.store.Mailbox;
import io.nexchange.sandbox.internal.store.TimeZones;
import io.nexchange.sandbox.internal.store.Values;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes store items as EWS CalendarItem / Contact elements, children in the schema's sequence order
 * (ItemType's elements first, then CalendarItemType's or ContactItemType's). Ids are the store's ids
 * in standard base64 (the Graph REST id with '-' and '_' turned back into '/' and '+').
 */
final class EwsRender {
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'");
    private static final Instant FAR = Instant.parse("2200-01-01T00:00:00Z");

    enum Level { ID_ONLY, DEFAULT, ALL }

    /**
     * ItemShape: base shape, the requested body type (Best, HTML or Text), and the extended (MAPI) properties asked
     * for in AdditionalProperties, as "PropertySetId:PropertyId" (EWS returns those only when asked).
     */
    record Shape(Level level, String bodyType, Set<String> extended) {
        Shape(Level level, String bodyType) {
            this(level, bodyType, Set.of());
        }
    }

    /** PidLidYomiCompanyName (PSETID_Address 0x802E): Graph's yomiCompanyName; ContactItemType has no element for it. */
    static final String YOMI_COMPANY = "Address:32814";
    /** Graph's id of a named property: {@code String {guid} Name X}. */
    private static final Pattern NAMED_PROPERTY = Pattern.compile("(\\w+) \\{([^}]+)\\} Name (.+)");

    private EwsRender() {
    }

    static String ews(String restId) {
        return ItemIds.restToEws(restId);
    }

    static String utc(Instant i) {
        return UTC.format(i.atOffset(ZoneOffset.UTC));
    }

    static String utc(String graphTimestamp) {
        return graphTimestamp == null ? null : utc(Instant.parse(graphTimestamp));
    }

    static void itemId(Out o, String restId, String changeKey) {
        o.t("ItemId").attr("Id", ews(restId)).attr("ChangeKey", changeKey).end();
    }

    /**
     * A calendar item. {@code summary}: what FindItem and SyncFolderItems return (no body, attendees
     * or recurrence blob); otherwise GetItem's full set.
     */
    static void calendarItem(Out o, Mailbox mb, Event e, Shape shape, boolean summary) {
        o.t("CalendarItem");
        itemId(o, e.id, e.changeKey);
        if (shape.level() == Level.ID_ONLY) {
            o.end();
            return;
        }
        CalendarFolder folder = mb.calendar(e.calendarId).orElse(mb.defaultCalendar());
        o.t("ParentFolderId").attr("Id", ews(folder.id)).attr("ChangeKey", folder.changeKey).end();
        o.tv("ItemClass", "IPM.Appointment");
        o.tv("Subject", e.ewsSubject != null ? e.ewsSubject : e.subject == null ? "" : e.subject);
        o.tv("Sensitivity", cap(e.sensitivity));
        if (!summary) {
            body(o, e.body, shape.bodyType());
        }
        o.tv("DateTimeReceived", utc(e.createdDateTime));
        categories(o, e.categories);
        o.tv("Importance", cap(e.importance));
        o.tv("IsDraft", false);
        o.tv("DateTimeCreated", utc(e.createdDateTime));
        o.tv("ReminderIsSet", Boolean.TRUE.equals(e.isReminderOn));
        o.tv("ReminderMinutesBeforeStart", e.reminderMinutesBeforeStart == null ? 15 : e.reminderMinutesBeforeStart);
        o.tv("HasAttachments", Boolean.TRUE.equals(e.hasAttachments));
        o.tv("LastModifiedTime", utc(e.lastModifiedDateTime));
        // CalendarItemType
        boolean instance = e.seriesMasterId != null;
        Event master = instance ? mb.item(e.seriesMasterId).orElse(null) : null;
        // EWS UID is the series' id for every instance (Graph's iCalUId differs per occurrence)
        o.tv("UID", master != null ? master.iCalUId : e.iCalUId);
        if (instance && e.originalStart != null) {
            o.tv("RecurrenceId", utc(Instant.parse(e.originalStart)));
        }
        Instant start = Mailbox.startOf(e);
        Instant end = Mailbox.endOf(e);
        o.tv("Start", utc(start));
        o.tv("End", utc(end));
        if (instance && e.originalStart != null) {
            o.tv("OriginalStart", utc(Instant.parse(e.originalStart)));
        }
        o.tv("IsAllDayEvent", Boolean.TRUE.equals(e.isAllDay));
        o.tv("LegacyFreeBusyStatus", freeBusy(e.showAs));
        o.tv("Location", e.location == null || e.location.displayName == null ? "" : e.location.displayName);
        boolean meeting = e.attendees != null && !e.attendees.isEmpty();
        o.tv("IsMeeting", meeting);
        o.tv("IsCancelled", Boolean.TRUE.equals(e.isCancelled));
        o.tv("IsRecurring", instance);
        o.tv("MeetingRequestWasSent", false);
        o.tv("IsResponseRequested", Boolean.TRUE.equals(e.responseRequested));
        o.tv("CalendarItemType", calendarItemType(e.type));
        o.tv("MyResponseType", responseType(e.responseStatus == null ? null : e.responseStatus.response));
        if (e.organizer != null && e.organizer.emailAddress != null) {
            o.t("Organizer");
            mailbox(o, e.organizer.emailAddress);
            o.end();
        }
        if (!summary) {
            attendees(o, "RequiredAttendees", e.attendees, "required");
            attendees(o, "OptionalAttendees", e.attendees, "optional");
            attendees(o, "Resources", e.attendees, "resource");
        }
        o.tv("Duration", Duration.between(start, end).toString());
        o.tv("AppointmentSequenceNumber", 0);
        o.tv("AppointmentState", meeting ? 1 : 0);
        if (!summary && e.isSeriesMaster()) {
            recurrence(o, e.recurrence);
            occurrences(o, mb, e);
        }
        o.t("StartTimeZone").attr("Id", TimeZones.windowsName(e.start.timeZone)).end();
        o.t("EndTimeZone").attr("Id", TimeZones.windowsName(e.end.timeZone)).end();
        o.tv("AllowNewTimeProposal", Boolean.TRUE.equals(e.allowNewTimeProposals));
        o.tv("IsOnlineMeeting", Boolean.TRUE.equals(e.isOnlineMeeting));
        o.end();
    }

    private static void body(Out o, Values.ItemBody body, String requested) {
        String type = body == null || body.contentType == null ? "text" : body.contentType;
        String content = body == null || body.content == null ? "" : body.content;
        boolean html = "html".equals(type);
        if ("Text".equalsIgnoreCase(requested) && html) {
            content = htmlToText(content);
            html = false;
        } else if ("HTML".equalsIgnoreCase(requested) && !html) {
            content = "<html><body>" + content.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                    .replace("\n", "<br>") + "</body></html>";
            html = true;
        }
        o.t("Body").attr("BodyType", html ? "HTML" : "Text").text(content).end();
    }

    private static String htmlToText(String html) {
        return html.replaceAll("(?is)<(script|style)[^>]*>.*?</\\1>", "").replaceAll("(?i)<br\\s*/?>", "\n")
                .replaceAll("(?i)</p>", "\n").replaceAll("<[^>]+>", "").replace("&nbsp;", " ").replace("&lt;", "<")
                .replace("&gt;", ">").replace("&amp;", "&").trim();
    }

    private static void categories(Out o, List<String> categories) {
        if (categories != null && !categories.isEmpty()) {
            o.t("Categories");
            categories.forEach(c -> o.tv("String", c));
            o.end();
        }
    }

    private static void mailbox(Out o, Values.EmailAddress a) {
        o.t("Mailbox");
        o.tv("Name", a.name == null ? a.address : a.name);
        o.tv("EmailAddress", a.address);
        o.tv("RoutingType", "SMTP");
        o.tv("MailboxType", "Mailbox");
        o.end();
    }

    private static void attendees(Out o, String element, List<Values.Attendee> attendees, String type) {
        List<Values.Attendee> matching = new ArrayList<>();
        for (Values.Attendee a : attendees == null ? List.<Values.Attendee>of() : attendees) {
            if (type.equalsIgnoreCase(a.type == null ? "required" : a.type) && a.emailAddress != null) {
                matching.add(a);
            }
        }
        if (matching.isEmpty()) {
            return;
        }
        o.t(element);
        for (Values.Attendee a : matching) {
            o.t("Attendee");
            mailbox(o, a.emailAddress);
            String response = a.status == null ? null : a.status.response;
            o.tv("ResponseType", responseType(response));
            if (a.status != null && a.status.time != null && !a.status.time.startsWith("0001")) {
                o.tv("LastResponseTime", utc(Instant.parse(a.status.time)));
            }
            o.end();
        }
        o.end();
    }

    static void recurrence(Out o, Values.PatternedRecurrence r) {
        Values.RecurrencePattern p = r.pattern;
        o.t("Recurrence");
        switch (p.type) {
            case "daily" -> o.t("DailyRecurrence").tv("Interval", p.interval).end();
            case "weekly" -> o.t("WeeklyRecurrence").tv("Interval", p.interval).tv("DaysOfWeek", days(p.daysOfWeek, false))
                    .tv("FirstDayOfWeek", cap(p.firstDayOfWeek)).end();
            case "absoluteMonthly" -> o.t("AbsoluteMonthlyRecurrence").tv("Interval", p.interval).tv("DayOfMonth", p.dayOfMonth).end();
            case "relativeMonthly" -> o.t("RelativeMonthlyRecurrence").tv("Interval", p.interval).tv("DaysOfWeek", days(p.daysOfWeek, true))
                    .tv("DayOfWeekIndex", cap(p.index)).end();
            case "absoluteYearly" -> o.t("AbsoluteYearlyRecurrence").tv("DayOfMonth", p.dayOfMonth).tv("Month", month(p.month)).end();
            case "relativeYearly" -> o.t("RelativeYearlyRecurrence").tv("DaysOfWeek", days(p.daysOfWeek, true))
                    .tv("DayOfWeekIndex", cap(p.index)).tv("Month", month(p.month)).end();
            default -> throw new IllegalStateException("Unknown recurrence pattern " + p.type);
        }
        Values.RecurrenceRange range = r.range;
        switch (range.type) {
            case "endDate" -> o.t("EndDateRecurrence").tv("StartDate", range.startDate).tv("EndDate", range.endDate).end();
            case "numbered" -> o.t("NumberedRecurrence").tv("StartDate", range.startDate)
                    .tv("NumberOfOccurrences", range.numberOfOccurrences).end();
            default -> o.t("NoEndRecurrence").tv("StartDate", range.startDate).end();
        }
        o.end();
    }

    /** FirstOccurrence, LastOccurrence (not for a series without end), ModifiedOccurrences, DeletedOccurrences. */
    private static void occurrences(Out o, Mailbox mb, Event master) {
        Instant seriesStart = LocalDate.parse(master.recurrence.range.startDate).minusDays(2).atStartOfDay().toInstant(ZoneOffset.UTC);
        List<Event> first = mb.instances(master, seriesStart, seriesStart.plus(Duration.ofDays(400)));
        if (first.isEmpty()) {
            first = mb.instances(master, seriesStart, FAR);
        }
        if (!first.isEmpty()) {
            occurrenceInfo(o, "FirstOccurrence", first.get(0));
        }
        if (!"noEnd".equals(master.recurrence.range.type)) {
            List<Event> all = mb.instances(master, seriesStart, FAR);
            if (!all.isEmpty()) {
                occurrenceInfo(o, "LastOccurrence", all.get(all.size() - 1));
            }
        }
        if (!master.exceptions.isEmpty()) {
            o.t("ModifiedOccurrences");
            for (Map.Entry<Instant, Event> ex : master.exceptions.entrySet()) {
                occurrenceInfo(o, "Occurrence", ex.getValue());
            }
            o.end();
        }
        Set<Instant> cancelled = master.cancelledOccurrences;
        if (!cancelled.isEmpty()) {
            o.t("DeletedOccurrences");
            for (Instant c : cancelled) {
                o.t("DeletedOccurrence").tv("Start", utc(c)).end();
            }
            o.end();
        }
    }

    private static void occurrenceInfo(Out o, String element, Event e) {
        o.t(element);
        itemId(o, e.id, e.changeKey);
        o.tv("Start", utc(Mailbox.startOf(e)));
        o.tv("End", utc(Mailbox.endOf(e)));
        o.tv("OriginalStart", e.originalStart == null ? utc(Mailbox.startOf(e)) : utc(Instant.parse(e.originalStart)));
        o.end();
    }

    // ---- contacts ----------------------------------------------------------------------------------

    static final String[] PHYSICAL_KEYS = {"Business", "Home", "Other"};

    static void contact(Out o, Contact c, Shape shape, boolean summary) {
        o.t("Contact");
        itemId(o, c.id, c.changeKey);
        if (shape.level() == Level.ID_ONLY) {
            o.end();
            return;
        }
        o.t("ParentFolderId").attr("Id", ews(c.parentFolderId)).end();
        o.tv("ItemClass", "IPM.Contact");
        o.tv("Subject", c.displayName == null ? "" : c.displayName);
        o.tv("Sensitivity", "Normal");
        if (!summary) {
            body(o, new Values.ItemBody("text", c.personalNotes == null ? "" : c.personalNotes), shape.bodyType());
            if (c.photo != null) {
                photoAttachment(o, c, false);
            }
        }
        o.tv("DateTimeReceived", utc(c.createdDateTime));
        categories(o, c.categories);
        o.tv("Importance", "Normal");
        o.tv("DateTimeCreated", utc(c.createdDateTime));
        o.tv("HasAttachments", c.photo != null);
        if (shape.extended().contains(YOMI_COMPANY) && c.yomiCompanyName != null) {
            o.t("ExtendedProperty");
            o.t("ExtendedFieldURI").attr("DistinguishedPropertySetId", "Address").attr("PropertyId", "32814")
                    .attr("PropertyType", "String").end();
            o.tv("Value", c.yomiCompanyName);
            o.end();
        }
        c.extendedProperties.forEach((id, value) -> {
            Matcher named = NAMED_PROPERTY.matcher(id);
            if (shape.extended().contains(id) && named.matches()) {
                o.t("ExtendedProperty");
                o.t("ExtendedFieldURI").attr("PropertySetId", named.group(2)).attr("PropertyName", named.group(3))
                        .attr("PropertyType", named.group(1)).end();
                o.tv("Value", value);
                o.end();
            }
        });
        o.tv("LastModifiedTime", utc(c.lastModifiedDateTime));
        // ContactItemType
        o.tv("FileAs", c.fileAs);
        o.tv("DisplayName", c.displayName);
        o.tv("GivenName", c.givenName);
        o.tv("Initials", c.initials);
        o.tv("MiddleName", c.middleName);
        o.tv("Nickname", c.nickName);
        o.t("CompleteName");
        o.tv("Title", c.title).tv("FirstName", c.givenName).tv("MiddleName", c.middleName).tv("LastName", c.surname)
                .tv("Suffix", c.generation).tv("Initials", c.initials).tv("FullName", c.displayName).tv("Nickname", c.nickName)
                .tv("YomiFirstName", c.yomiGivenName).tv("YomiLastName", c.yomiSurname);
        o.end();
        o.tv("CompanyName", c.companyName);
        if (c.emailAddresses != null && !c.emailAddresses.isEmpty()) {
            o.t("EmailAddresses");
            for (int i = 0; i < Math.min(3, c.emailAddresses.size()); i++) {
                Values.EmailAddress a = c.emailAddresses.get(i);
                o.t("Entry").attr("Key", "EmailAddress" + (i + 1)).attr("Name", a.name).attr("RoutingType", "SMTP")
                        .attr("MailboxType", "Contact").text(a.address).end();
            }
            o.end();
        }
        Values.PhysicalAddress[] addresses = {c.businessAddress, c.homeAddress, c.otherAddress};
        boolean any = false;
        for (Values.PhysicalAddress a : addresses) {
            any |= !isEmpty(a);
        }
        if (any) {
            o.t("PhysicalAddresses");
            for (int i = 0; i < 3; i++) {
                Values.PhysicalAddress a = addresses[i];
                if (!isEmpty(a)) {
                    o.t("Entry").attr("Key", PHYSICAL_KEYS[i]).tv("Street", a.street).tv("City", a.city).tv("State", a.state)
                            .tv("CountryOrRegion", a.countryOrRegion).tv("PostalCode", a.postalCode).end();
                }
            }
            o.end();
        }
        List<String[]> phones = phones(c);
        if (!phones.isEmpty()) {
            o.t("PhoneNumbers");
            phones.forEach(p -> o.t("Entry").attr("Key", p[0]).text(p[1]).end());
            o.end();
        }
        o.tv("AssistantName", c.assistantName);
        if (c.birthday != null) {
            o.tv("Birthday", utc(Instant.parse(c.birthday)));
        }
        o.tv("BusinessHomePage", c.businessHomePage);
        if (c.children != null && !c.children.isEmpty()) {
            o.t("Children");
            c.children.forEach(ch -> o.tv("String", ch));
            o.end();
        }
        o.tv("Department", c.department);
        o.tv("Generation", c.generation);
        if (c.imAddresses != null && !c.imAddresses.isEmpty()) {
            o.t("ImAddresses");
            for (int i = 0; i < Math.min(3, c.imAddresses.size()); i++) {
                o.t("Entry").attr("Key", "ImAddress" + (i + 1)).text(c.imAddresses.get(i)).end();
            }
            o.end();
        }
        o.tv("JobTitle", c.jobTitle);
        o.tv("Manager", c.manager);
        o.tv("OfficeLocation", c.officeLocation);
        o.tv("Profession", c.profession);
        o.tv("SpouseName", c.spouseName);
        o.tv("Surname", c.surname);
        o.tv("HasPicture", c.photo != null);
        o.end();
    }

    /**
     * A contact's photo as Exchange keeps it: a FileAttachment with IsContactPhoto (GetItem lists it without
     * content; GetAttachment returns it with Content).
     */
    static void photoAttachment(Out o, Contact c, boolean withContent) {
        if (!withContent) {
            o.t("Attachments");
        }
        o.t("FileAttachment");
        o.t("AttachmentId").attr("Id", ItemIds.photoAttachmentId(c.id)).end();
        o.tv("Name", "ContactPicture.jpg");
        o.tv("ContentType", c.photoContentType == null ? "image/jpeg" : c.photoContentType);
        o.tv("Size", c.photo.length);
        o.tv("LastModifiedTime", utc(c.lastModifiedDateTime));
        o.tv("IsInline", false);
        o.tv("IsContactPhoto", true);
        if (withContent) {
            o.tv("Content", java.util.Base64.getEncoder().encodeToString(c.photo));
        }
        o.end();
        if (!withContent) {
            o.end();
        }
    }

    static List<String[]> phones(Contact c) {
        List<String[]> out = new ArrayList<>();
        List<String> business = c.businessPhones == null ? List.of() : c.businessPhones;
        List<String> home = c.homePhones == null ? List.of() : c.homePhones;
        if (business.size() > 0) {
            out.add(new String[] {"BusinessPhone", business.get(0)});
        }
        if (business.size() > 1) {
            out.add(new String[] {"BusinessPhone2", business.get(1)});
        }
        if (home.size() > 0) {
            out.add(new String[] {"HomePhone", home.get(0)});
        }
        if (home.size() > 1) {
            out.add(new String[] {"HomePhone2", home.get(1)});
        }
        if (c.mobilePhone != null && !c.mobilePhone.isEmpty()) {
            out.add(new String[] {"MobilePhone", c.mobilePhone});
        }
        return out;
    }

    private static boolean isEmpty(Values.PhysicalAddress a) {
        return a == null || (a.street == null && a.city == null && a.state == null && a.countryOrRegion == null && a.postalCode == null);
    }

    // ---- value mappings (Graph spelling → EWS spelling) ---------------------------------------------------

    static String cap(String s) {
        if (s == null || s.isEmpty()) {
            return s;
        }
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    static String freeBusy(String showAs) {
        return switch (showAs == null ? "busy" : showAs) {
            case "free" -> "Free";
            case "tentative" -> "Tentative";
            case "oof" -> "OOF";
            case "workingElsewhere" -> "WorkingElsewhere";
            case "unknown" -> "NoData";
            default -> "Busy";
        };
    }

    static String calendarItemType(String graphType) {
        return switch (graphType == null ? "singleInstance" : graphType) {
            case "seriesMaster" -> "RecurringMaster";
            case "occurrence" -> "Occurrence";
            case "exception" -> "Exception";
            default -> "Single";
        };
    }

    static String responseType(String graph) {
        return switch (graph == null ? "none" : graph) {
            case "organizer" -> "Organizer";
            case "tentativelyAccepted" -> "Tentative";
            case "accepted" -> "Accept";
            case "declined" -> "Decline";
            case "notResponded" -> "NoResponseReceived";
            default -> "Unknown";
        };
    }

    private static String days(List<String> days, boolean relative) {
        List<String> d = days == null ? List.of() : days;
        if (relative) {
            Set<String> set = Set.copyOf(d);
            if (set.size() == 7) {
                return "Day";
            }
            if (set.equals(Set.of("monday", "tuesday", "wednesday", "thursday", "friday"))) {
                return "Weekday";
            }
            if (set.equals(Set.of("saturday", "sunday"))) {
                return "WeekendDay";
            }
            return d.isEmpty() ? "Monday" : cap(d.get(0));
        }
        List<String> out = new ArrayList<>();
        d.forEach(x -> out.add(cap(x)));
        return String.join(" ", out);
    }

    private static String month(int month) {
        return cap(java.time.Month.of(Math.max(1, month)).name().toLowerCase(Locale.ROOT));
    }
}
