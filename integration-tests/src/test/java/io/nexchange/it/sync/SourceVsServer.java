package io.nexchange.it.sync;

import com.fasterxml.jackson.databind.JsonNode;
import ezvcard.VCard;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.fortuna.ical4j.model.Calendar;

/**
 * The whole comparison of the source (Graph, read independently) with the DAV server (Radicale or Nextcloud), per mailbox: same set of items (by
 * UID = iCalUId / contact id), no duplicates, and every field of every item.
 *
 * <p>The calendar store syncs a window (30 days back, 365 ahead, fixed when a round starts); items at the window's
 * edges depend on the exact moment, so every item with an occurrence inside the window shrunk by a day must be in
 * the server, and nothing may be there that has no occurrence in the window grown by a day.
 */
final class SourceVsServer {
    private SourceVsServer() {
    }

    record Counts(int events, int contacts, int checks) {
    }

    static Counts compare(GraphSource source, DavContent radicale, List<String> mailboxes, Mismatches m) throws Exception {
        int events = 0;
        int contacts = 0;
        LocalDate today = LocalDate.now(java.time.ZoneOffset.UTC);
        for (String mailbox : mailboxes) {
            String user = SyncRig.account(mailbox);
            // ---- events
            Map<String, Calendar> byUid = new LinkedHashMap<>();
            for (Map.Entry<String, String> resource : radicale.items(user, ".ics").entrySet()) {
                Calendar calendar = EventComparison.parse(resource.getValue());
                String uid = EventComparison.uid(calendar);
                if (byUid.put(uid, calendar) != null) {
                    m.fail(mailbox + " event " + uid, "duplicate: more than one resource holds this UID (" + resource.getKey() + ")");
                }
            }
            Set<String> must = new HashSet<>(source.itemIdsInWindow(mailbox, today.minusDays(29), today.plusDays(364)));
            List<String> may = source.itemIdsInWindow(mailbox, today.minusDays(31), today.plusDays(366));
            Set<String> allowedUids = new HashSet<>();
            for (String id : may) {
                JsonNode event = source.event(mailbox, id);
                String uid = event.path("iCalUId").asText();
                allowedUids.add(uid);
                Calendar target = byUid.get(uid);
                if (target == null) {
                    if (must.contains(id)) {
                        m.fail(mailbox + " event " + uid + " '" + event.path("subject").asText() + "'", "missing in the DAV server");
                    }
                    continue;
                }
                EventComparison.compare(mailbox, event, target, m);
                events++;
            }
            for (String uid : byUid.keySet()) {
                if (!allowedUids.contains(uid)) {
                    m.fail(mailbox + " event " + uid, "in the DAV server but not (any more) in the source's window");
                }
            }
            // ---- contacts
            Map<String, VCard> cards = new LinkedHashMap<>();
            for (Map.Entry<String, String> resource : radicale.items(user, ".vcf").entrySet()) {
                VCard card = ContactComparison.parse(resource.getValue());
                if (cards.put(ContactComparison.uid(card), card) != null) {
                    m.fail(mailbox + " contact " + ContactComparison.uid(card), "duplicate: more than one resource holds this UID");
                }
            }
            List<JsonNode> sourceContacts = source.contacts(mailbox);
            Set<String> sourceIds = new HashSet<>();
            for (JsonNode contact : sourceContacts) {
                String id = contact.path("id").asText();
                sourceIds.add(id);
                VCard card = cards.get(id);
                if (card == null) {
                    m.fail(mailbox + " contact '" + contact.path("displayName").asText() + "' " + id, "missing in the DAV server");
                    continue;
                }
                Optional<byte[]> photo = source.photo(mailbox, id);
                ContactComparison.compare(mailbox, contact, photo, card, m);
                contacts++;
            }
            List<String> extra = new ArrayList<>(cards.keySet());
            extra.removeAll(sourceIds);
            extra.forEach(id -> m.fail(mailbox + " contact " + id, "in the DAV server but not in the source"));
        }
        return new Counts(events, contacts, m.checks());
    }
}
