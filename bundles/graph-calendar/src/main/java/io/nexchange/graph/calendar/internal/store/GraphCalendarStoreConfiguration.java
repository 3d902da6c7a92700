package io.nexchange.graph.calendar.internal.store;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Nexchange Graph calendar store", description = "Exchange Online calendars through"
        + " Microsoft Graph calendarView delta.")
public @interface GraphCalendarStoreConfiguration {

    @AttributeDefinition(description = "App registrations (names of TokenProvider services) mailboxes are spread over;"
            + " each mailbox always uses the same one (rendezvous hashing).")
    String[] registrations() default {"default"};

    @AttributeDefinition(description = "Days before today the synchronised window starts (first sync and resync).")
    int windowDaysBack() default 30;

    @AttributeDefinition(description = "Days after today the synchronised window ends.")
    int windowDaysAhead() default 365;

    @AttributeDefinition(description = "Days after which the calendar is read in full again so that the window moves"
            + " forward (a delta link keeps the window it started with).")
    int windowRenewDays() default 7;

    @AttributeDefinition(description = "Events per delta page (Prefer: odata.maxpagesize).")
    int pageSize() default 100;

    @AttributeDefinition(description = "Synchronise every calendar of a mailbox, not only the default one.")
    boolean allCalendars() default false;

    @AttributeDefinition(description = "Time zone (IANA) for floating times and all-day events written to Exchange.")
    String mailboxTimeZone() default "UTC";
}
