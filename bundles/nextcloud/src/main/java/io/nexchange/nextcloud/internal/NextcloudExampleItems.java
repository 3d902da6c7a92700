package io.nexchange.nextcloud.internal;

import io.nexchange.api.extension.ItemContext;
import io.nexchange.api.extension.ItemTransformer;
import io.nexchange.api.item.ItemContent;
import io.nexchange.api.state.Side;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Component;

/**
 * Keeps Nextcloud's example items out of Exchange. Nextcloud 31+ gives every new account an example event ("Example
 * event - open me!", a week after the first login) and an example card ("Leon Green"); in a direction that writes to
 * Exchange they would otherwise be created in every mailbox of the organisation. They stay in Nextcloud, untouched
 * and never deleted; the engine records them as synced to Nextcloud only, and writes them to Exchange if they ever
 * stop looking like Nextcloud's example (which a user's edit through a client does: it sets the client's PRODID).
 *
 * <p>Recognised by what Nextcloud's {@code ExampleEventService} and {@code ExampleContactService} write (sabre/vobject
 * serialises them, so the PRODID is sabre's; clients put their own): an event whose UID is the 32 random letters and
 * digits Nextcloud draws (upper and lower case: UUIDs, hex and Outlook's UIDs never mix cases), with no organizer,
 * attendees or recurrence; a card that is the shipped "Leon Green" example. An admin's custom example event has the
 * same UID shape and PRODID and is recognised too.
 */
@Component(property = {ItemTransformer.TARGET + "=exchange", "service.ranking:Integer=1000"})
public final class NextcloudExampleItems implements ItemTransformer {
    private static final Pattern EXAMPLE_EVENT_UID = Pattern.compile("(?=[A-Za-z0-9]*[a-z])(?=[A-Za-z0-9]*[A-Z])[A-Za-z0-9]{32}");
    private static final Pattern UNFOLD = Pattern.compile("\r?\n[ \t]");

    @Override
    public Optional<ItemContent> transform(ItemContext item, Side target, ItemContent content) {
        return isExample(content.text()) ? Optional.empty() : Optional.of(content);
    }

    /** Whether this iCalendar or vCard text is one of Nextcloud's example items. */
    static boolean isExample(String text) {
        String unfolded = UNFOLD.matcher(text).replaceAll("");
        if (!unfolded.contains("\nPRODID:-//Sabre//Sabre VObject") && !unfolded.startsWith("PRODID:-//Sabre//Sabre VObject")) {
            return false;
        }
        if (unfolded.startsWith("BEGIN:VCARD")) {
            String lower = unfolded.toLowerCase(Locale.ROOT);
            return lower.contains("\nfn:leon green") && lower.contains(":leon@example.com");
        }
        if (!unfolded.startsWith("BEGIN:VCALENDAR") || count(unfolded, "\nBEGIN:VEVENT") != 1) {
            return false;
        }
        for (String property : new String[] {"\nORGANIZER", "\nATTENDEE", "\nRRULE", "\nRECURRENCE-ID"}) {
            if (unfolded.contains(property)) {
                return false;
            }
        }
        return unfolded.lines().filter(line -> line.startsWith("UID:")).findFirst()
                .map(line -> EXAMPLE_EVENT_UID.matcher(line.substring(4).strip()).matches()).orElse(false);
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    @Override
    public String fingerprint() {
        return "nextcloud-example-items 1";
    }
}
