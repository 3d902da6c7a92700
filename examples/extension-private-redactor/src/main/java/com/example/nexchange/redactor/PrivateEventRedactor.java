package com.example.nexchange.redactor;

import io.nexchange.api.extension.ItemContext;
import io.nexchange.api.extension.ItemTransformer;
import io.nexchange.api.item.ItemContent;
import io.nexchange.api.state.Side;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Strips DESCRIPTION, LOCATION and ATTENDEE (configurable) from every event marked private before it is written to
 * Nextcloud; other events, and the properties of alarms inside an event, pass unchanged. A series and each of its
 * exceptions are judged on their own CLASS.
 *
 * <p>Works on the content lines of the iCalendar text (a property with its folded continuation lines is kept or
 * dropped whole), so it needs nothing but the API: no iCalendar library to deploy alongside.
 */
@Component(configurationPid = "com.example.nexchange.redactor", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {ItemTransformer.TARGET + "=nextcloud", ItemTransformer.KIND + "=calendar"})
@Designate(ocd = RedactorConfiguration.class)
public final class PrivateEventRedactor implements ItemTransformer {
    private final Set<String> classes = new TreeSet<>();
    private final Set<String> properties = new TreeSet<>();

    @Activate
    public PrivateEventRedactor(RedactorConfiguration config) {
        names(config.classes(), classes);
        names(config.properties(), properties);
    }

    /** A .cfg file gives a list as one comma-separated value; a .config file or Config Admin as an array. */
    private static void names(String[] values, Set<String> into) {
        for (String value : values) {
            for (String name : value.split(",")) {
                if (!name.isBlank()) {
                    into.add(name.trim().toUpperCase(Locale.ROOT));
                }
            }
        }
    }

    @Override
    public Optional<ItemContent> transform(ItemContext item, Side target, ItemContent content) {
        List<String> lines = List.of(content.text().split("\r\n|\n", -1));
        StringBuilder out = new StringBuilder(content.text().length());
        List<List<String>> event = null; // the properties of the VEVENT being read, each with its continuation lines
        int depth = 0; // components open inside the VEVENT (VALARM)
        List<String> property = null;
        boolean redacted = false;
        for (String line : lines) {
            if (event == null) {
                if (line.equalsIgnoreCase("BEGIN:VEVENT")) {
                    event = new ArrayList<>();
                    event.add(new ArrayList<>(List.of(line)));
                } else {
                    append(out, line);
                }
                continue;
            }
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t') && property != null) {
                property.add(line);
                continue;
            }
            property = new ArrayList<>(List.of(line));
            property.add(0, depth == 0 ? "" : "nested"); // marks properties of an inner component
            event.add(property);
            String upper = line.toUpperCase(Locale.ROOT);
            if (upper.startsWith("BEGIN:")) {
                depth++;
            } else if (upper.startsWith("END:")) {
                if (depth == 0) { // END:VEVENT
                    redacted |= writeEvent(out, event);
                    event = null;
                    property = null;
                } else {
                    depth--;
                }
            }
        }
        if (!redacted) {
            return Optional.of(content); // byte for byte as it came
        }
        // the split keeps what follows the last line end as an empty last element: no extra line end for it
        String text = out.substring(0, Math.max(0, out.length() - 2));
        return Optional.of(new ItemContent(content.mediaType(), text));
    }

    /** Writes one VEVENT, without the configured properties if its CLASS marks it private; whether it dropped any. */
    private boolean writeEvent(StringBuilder out, List<List<String>> event) {
        boolean isPrivate = false;
        for (List<String> p : event.subList(1, event.size())) {
            if (p.get(0).isEmpty() && name(p.get(1)).equals("CLASS")) {
                String value = p.get(1).substring(p.get(1).indexOf(':') + 1).trim().toUpperCase(Locale.ROOT);
                isPrivate = classes.contains(value);
            }
        }
        append(out, event.get(0).get(0)); // BEGIN:VEVENT
        boolean dropped = false;
        for (List<String> p : event.subList(1, event.size())) {
            if (isPrivate && p.get(0).isEmpty() && properties.contains(name(p.get(1)))) {
                dropped = true;
                continue;
            }
            p.subList(1, p.size()).forEach(l -> append(out, l));
        }
        return dropped;
    }

    private static String name(String line) {
        int end = 0;
        while (end < line.length() && line.charAt(end) != ':' && line.charAt(end) != ';') {
            end++;
        }
        return line.substring(0, end).toUpperCase(Locale.ROOT);
    }

    private static void append(StringBuilder out, String line) {
        out.append(line).append("\r\n");
    }

    @Override
    public String fingerprint() {
        return "private-redactor 1 classes=" + classes + " properties=" + properties;
    }
}
