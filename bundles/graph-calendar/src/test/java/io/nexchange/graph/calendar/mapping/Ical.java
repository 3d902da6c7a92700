package io.nexchange.graph.calendar.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.Optional;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.data.ParserException;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Parameter;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;

/** The produced iCalendar, parsed back with ical4j, for field-by-field assertions. */
final class Ical {

    final String text;
    final Calendar calendar;

    private Ical(String text, Calendar calendar) {
        this.text = text;
        this.calendar = calendar;
    }

    static Ical parse(String text) {
        try {
            return new Ical(text, new CalendarBuilder().build(new StringReader(text)));
        } catch (IOException | ParserException e) {
            throw new AssertionError("produced iCalendar does not parse:\n" + text, e);
        }
    }

    List<VEvent> events() {
        return calendar.getComponents(Component.VEVENT);
    }

    VEvent master() {
        List<VEvent> masters = events().stream().filter(e -> e.getProperty(Property.RECURRENCE_ID).isEmpty()).toList();
        assertEquals(1, masters.size(), "one master VEVENT");
        return masters.get(0);
    }

    List<VEvent> overrides() {
        return events().stream().filter(e -> e.getProperty(Property.RECURRENCE_ID).isPresent()).toList();
    }

    static String value(Component component, String property) {
        return component.getProperty(property).map(Property::getValue).orElse(null);
    }

    static List<String> values(Component component, String property) {
        return component.getProperties(property).stream().map(Property::getValue).toList();
    }

    static String param(Component component, String property, String parameter) {
        return component.getProperty(property).flatMap(p -> p.<Parameter>getParameter(parameter)).map(Parameter::getValue).orElse(null);
    }

    static Optional<Property> property(Component component, String property) {
        return component.getProperty(property);
    }

    static String param(Property property, String parameter) {
        return property.<Parameter>getParameter(parameter).map(Parameter::getValue).orElse(null);
    }
}
