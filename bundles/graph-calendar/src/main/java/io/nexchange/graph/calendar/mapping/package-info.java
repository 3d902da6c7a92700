/**
 * Graph events as iCalendar objects and back ({@link io.nexchange.graph.calendar.mapping.EventToICalendar},
 * {@link io.nexchange.graph.calendar.mapping.ICalendarToEvent}), over the Graph SDK's model. Exported so that
 * every Exchange backend (Graph, EWS) writes the same iCalendar for the same event: the EWS store reads
 * CalendarItems into this model and maps them here.
 */
@Export
@Version("1.1.0")
package io.nexchange.graph.calendar.mapping;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
