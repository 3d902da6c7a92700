package io.nexchange.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.graph.models.Contact;
import com.microsoft.graph.models.EmailAddress;
import com.microsoft.graph.models.PhysicalAddress;
import io.nexchange.api.CollectionKind;
import io.nexchange.graph.contacts.mapping.ContactToVCard;
import io.nexchange.graph.contacts.mapping.VCardToContact;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The engine's merge ({@link PropertyMerge}, package-private: this test sits in its package) with the real contact
 * mappings, over generated items (seeded, so a failure repeats): here because the mappings live here, and the engine
 * codes only against the SPI.
 * <ul>
 * <li>N→E→N: a Nextcloud card goes to Exchange (VCardToContact, sent and read back as Graph JSON), comes back as
 * Exchange's rendering (ContactToVCard) and
 * is merged onto the Nextcloud card: every property Exchange cannot hold is still there as it was, Exchange reads the
 * result exactly as it read the original (every field it holds is unchanged), and a second round changes nothing.</li>
 * <li>E→N→E: an Exchange contact (as Graph JSON) rendered for Nextcloud and read back gives every field as it was.</li>
 * </ul>
 */
class ContactRoundTripPropertyTest {
    private static final int TRIES = 300;
    private final ContactToVCard toVCard = new ContactToVCard();
    private final VCardToContact toContact = new VCardToContact();

    @Test
    void nextcloudToExchangeToNextcloudKeepsEveryField() {
        Random random = new Random(13);
        int kept = 0;
        for (int i = 0; i < TRIES; i++) {
            Generated card = nextcloudCard(random, i);
            String exchange = toVCard.toText(viaGraphJson(toContact.fromText(card.text).contact()), card.uid, null);
            String merged = PropertyMerge.ontoNextcloud(CollectionKind.CONTACTS, card.text, exchange);
            for (String line : card.nextcloudOnly) {
                assertTrue(merged.contains(line + "\r\n"), "try " + i + ": " + line + " kept\n" + card.text + "\n---\n" + merged);
                kept++;
            }
            assertEquals(exchangeView(card.text), exchangeView(merged), "try " + i + ": Exchange reads the merge as the original\n" + merged);
            String again = toVCard.toText(toContact.fromText(merged).contact(), card.uid, null);
            assertEquals(exchange, again, "try " + i + ": Exchange's rendering of the merge is the same");
            assertEquals(merged, PropertyMerge.ontoNextcloud(CollectionKind.CONTACTS, merged, again), "try " + i + ": a fixpoint");
        }
        System.out.println("[figures] N->E->N over " + TRIES + " generated cards: " + kept + " Nextcloud-only properties kept, 0 lost");
    }

    @Test
    void exchangeToNextcloudToExchangeKeepsEveryField() {
        Random random = new Random(29);
        for (int i = 0; i < TRIES; i++) {
            Contact original = exchangeContact(random);
            String uid = "AAMkAG" + i;
            Contact back = viaGraphJson(toContact.fromText(toVCard.toText(viaGraphJson(original), uid, null)).contact());
            assertEquals(exchangeView(original), exchangeView(back), "try " + i);
        }
    }

    /** The contact as Graph JSON and read back, as the SDK sends and reads it. */
    private static Contact viaGraphJson(Contact contact) {
        try (com.microsoft.kiota.serialization.JsonSerializationWriter writer = new com.microsoft.kiota.serialization.JsonSerializationWriter()) {
            writer.writeObjectValue(null, contact);
            return new com.microsoft.kiota.serialization.JsonParseNodeFactory().getParseNode("application/json",
                    writer.getSerializedContent()).getObjectValue(Contact::createFromDiscriminatorValue);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** What Exchange holds of a card: its own rendering of the contact the card maps to. */
    private String exchangeView(String card) {
        return exchangeView(toContact.fromText(card).contact());
    }

    private String exchangeView(Contact contact) {
        return toVCard.toText(contact, "uid", null).replaceAll("(?m)^(REV|PRODID):.*\r\n", "");
    }

    private record Generated(String uid, String text, List<String> nextcloudOnly) {}

    private static final String[] TYPES = {"home", "work", "other", "postal", "cell", "fax"};

    private static Generated nextcloudCard(Random random, int n) {
        String uid = "nc-" + n + "-" + Long.toHexString(random.nextLong());
        List<String> lines = new ArrayList<>(List.of("BEGIN:VCARD", "VERSION:3.0", "UID:" + uid, "FN:Person " + n,
                "N:Family" + n + ";Given;;;"));
        List<String> only = new ArrayList<>();
        int emails = random.nextInt(6);
        for (int e = 0; e < emails; e++) {
            String line = "EMAIL;TYPE=internet:p" + n + "." + e + "@example.org";
            lines.add(line);
            if (e >= 3) {
                only.add(line);
            }
        }
        for (int t = random.nextInt(4); t > 0; t--) {
            lines.add("TEL;TYPE=" + TYPES[random.nextInt(TYPES.length)] + ":+4930" + random.nextInt(1_000_000));
        }
        int addresses = random.nextInt(5);
        boolean home = false;
        boolean work = false;
        boolean other = false;
        for (int a = 0; a < addresses; a++) {
            String type = TYPES[random.nextInt(4)];
            String line = "ADR;TYPE=" + type + ":;;" + a + " " + type + " Street;City;;1000" + a + ";DE";
            lines.add(line);
            boolean slot = type.equals("home") && !home ? home = true : type.equals("work") && !work ? work = true
                    : !type.equals("home") && !type.equals("work") || (type.equals("home") ? home : work) ? !other && (other = true) : false;
            if (!slot) {
                only.add(line);
            }
        }
        for (int u = random.nextInt(3), k = 0; k < u; k++) {
            String line = "URL:https://site" + k + ".example.org/" + n;
            lines.add(line);
            if (k >= 1) {
                only.add(line);
            }
        }
        if (random.nextBoolean()) {
            lines.add("NOTE:a note\\, with a comma");
        }
        for (String extra : List.of("X-SOCIALPROFILE;TYPE=mastodon:https://social.example/@p" + n, "ANNIVERSARY:2011-0" + (1 + random.nextInt(9)) + "-1" + random.nextInt(9),
                "item1.X-ABLabel:label " + n, "X-EVOLUTION-SPOUSE:someone", "GEO:52.5;13.4")) {
            if (random.nextBoolean()) {
                lines.add(extra);
                only.add(extra);
            }
        }
        lines.add("END:VCARD");
        return new Generated(uid, String.join("\r\n", lines) + "\r\n", only);
    }

    private static Contact exchangeContact(Random random) {
        Contact c = new Contact();
        c.setGivenName("Given" + random.nextInt(100));
        c.setSurname("Family" + random.nextInt(100));
        c.setDisplayName(c.getGivenName() + " " + c.getSurname());
        c.setMiddleName(random.nextBoolean() ? "M" : "");
        c.setTitle(random.nextBoolean() ? "Dr." : "");
        c.setGeneration(random.nextBoolean() ? "Jr." : "");
        c.setNickName(random.nextBoolean() ? "Nick" : "");
        c.setCompanyName(random.nextBoolean() ? "Contoso" : "");
        c.setDepartment(c.getCompanyName().isEmpty() ? "" : random.nextBoolean() ? "Sales" : "");
        c.setJobTitle(random.nextBoolean() ? "Manager; of things" : "");
        c.setProfession(random.nextBoolean() ? "Engineer" : "");
        List<EmailAddress> emails = new ArrayList<>();
        for (int e = random.nextInt(4); e > 0; e--) {
            EmailAddress address = new EmailAddress();
            address.setAddress("a" + e + random.nextInt(1000) + "@example.org");
            address.setName(random.nextBoolean() ? address.getAddress() : "Name " + e);
            emails.add(address);
        }
        c.setEmailAddresses(emails);
        c.setBusinessPhones(random.nextBoolean() ? List.of("+1 425 555 0" + random.nextInt(100)) : List.of());
        c.setHomePhones(random.nextBoolean() ? List.of("+49 30 " + random.nextInt(100000)) : List.of());
        c.setMobilePhone(random.nextBoolean() ? "+49 170 " + random.nextInt(100000) : "");
        c.setHomeAddress(random.nextBoolean() ? address(random, "Home") : new PhysicalAddress());
        c.setBusinessAddress(random.nextBoolean() ? address(random, "Work") : new PhysicalAddress());
        c.setOtherAddress(random.nextBoolean() ? address(random, "Other") : new PhysicalAddress());
        c.setBusinessHomePage(random.nextBoolean() ? "https://contoso.example.com" : "");
        c.setPersonalNotes(random.nextBoolean() ? "line one\nline two, with; punctuation" : "");
        c.setCategories(random.nextBoolean() ? List.of("Red", "Blue category") : List.of());
        c.setManager(random.nextBoolean() ? "Boss " + random.nextInt(10) : "");
        c.setAssistantName(random.nextBoolean() ? "Helper" : "");
        c.setSpouseName(random.nextBoolean() ? "Partner" : "");
        c.setChildren(random.nextBoolean() ? List.of("Kid A", "Kid B") : List.of());
        c.setFileAs(random.nextBoolean() ? c.getSurname() + ", " + c.getGivenName() : "");
        c.setInitials(random.nextBoolean() ? "G.F." : "");
        c.setOfficeLocation(random.nextBoolean() ? "Building " + random.nextInt(40) : "");
        c.setYomiGivenName(random.nextBoolean() ? "ギブン" : "");
        c.setYomiSurname(random.nextBoolean() ? "ファミリー" : "");
        c.setYomiCompanyName(random.nextBoolean() ? "コントソ" : "");
        c.setImAddresses(random.nextBoolean() ? List.of("sip:g" + random.nextInt(100) + "@example.org") : List.of());
        return c;
    }

    private static PhysicalAddress address(Random random, String kind) {
        PhysicalAddress a = new PhysicalAddress();
        a.setStreet(random.nextInt(200) + " " + kind + " Street");
        a.setCity("City");
        a.setState(random.nextBoolean() ? "State" : "");
        a.setPostalCode("9" + random.nextInt(10000));
        a.setCountryOrRegion("Country");
        return a;
    }
}
