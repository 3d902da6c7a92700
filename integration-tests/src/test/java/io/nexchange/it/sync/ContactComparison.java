package io.nexchange.it.sync;

import com.fasterxml.jackson.databind.JsonNode;
import ezvcard.Ezvcard;
import ezvcard.VCard;
import ezvcard.parameter.AddressType;
import ezvcard.parameter.TelephoneType;
import ezvcard.property.Address;
import ezvcard.property.RawProperty;
import ezvcard.property.Telephone;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares a Graph contact (and its photo) with the vCard Radicale holds, field by field, by the rules of
 * docs/graph-mapping.md written out again here. Parsing is ez-vcard's. Phone numbers, e-mails, categories, children
 * and IM addresses are compared as sets (their order carries no meaning in either model).
 */
final class ContactComparison {
    private ContactComparison() {
    }

    static VCard parse(String text) {
        VCard card = Ezvcard.parse(text).first();
        if (card == null) {
            throw new AssertionError("Radicale holds an unparsable vCard:\n" + text);
        }
        return card;
    }

    static String uid(VCard card) {
        return card.getUid() == null ? null : card.getUid().getValue().replaceFirst("^urn:uuid:", "");
    }

    static void compare(String mailbox, JsonNode c, Optional<byte[]> photo, VCard v, Mismatches m) {
        String item = mailbox + " contact " + c.path("id").asText().substring(Math.max(0, c.path("id").asText().length() - 12))
                + " '" + c.path("displayName").asText() + "'";
        m.check(item, "UID", c.path("id").asText(), uid(v));
        m.check(item, "FN", c.path("displayName").asText(), v.getFormattedName() == null ? null : v.getFormattedName().getValue());
        ezvcard.property.StructuredName n = v.getStructuredName();
        // a contact with only a display name gets N split from it, as Outlook does (ContactMappingTest checks the split)
        boolean hasNames = text(c, "surname") != null || text(c, "givenName") != null || text(c, "middleName") != null;
        if (hasNames) {
            m.check(item, "N family (surname)", text(c, "surname"), n == null ? null : blankToNull(n.getFamily()));
            m.check(item, "N given (givenName)", text(c, "givenName"), n == null ? null : blankToNull(n.getGiven()));
        }
        m.check(item, "N additional (middleName)", text(c, "middleName"), n == null ? null : blankToNull(String.join(",", n.getAdditionalNames())));
        m.check(item, "N prefix (title)", text(c, "title"), n == null ? null : blankToNull(String.join(",", n.getPrefixes())));
        m.check(item, "N suffix (generation)", text(c, "generation"), n == null ? null : blankToNull(String.join(",", n.getSuffixes())));
        m.check(item, "NICKNAME", text(c, "nickName"), v.getNickname() == null ? null : String.join(",", v.getNickname().getValues()));
        List<String> org = v.getOrganization() == null ? List.of() : v.getOrganization().getValues();
        m.check(item, "ORG company", text(c, "companyName"), org.isEmpty() ? null : blankToNull(org.get(0)));
        m.check(item, "ORG department", text(c, "department"), org.size() < 2 ? null : blankToNull(org.get(1)));
        m.check(item, "TITLE (jobTitle)", text(c, "jobTitle"), v.getTitles().isEmpty() ? null : v.getTitles().get(0).getValue());
        m.check(item, "ROLE (profession)", text(c, "profession"), v.getRoles().isEmpty() ? null : v.getRoles().get(0).getValue());
        Set<String> emails = new TreeSet<>();
        c.path("emailAddresses").forEach(e -> emails.add(e.path("address").asText().toLowerCase(Locale.ROOT)));
        Set<String> actualEmails = new TreeSet<>();
        v.getEmails().forEach(e -> actualEmails.add(e.getValue().toLowerCase(Locale.ROOT)));
        m.check(item, "EMAILs", emails, actualEmails);
        m.check(item, "TEL work (businessPhones)", strings(c.path("businessPhones")), phones(v, TelephoneType.WORK));
        m.check(item, "TEL home (homePhones)", strings(c.path("homePhones")), phones(v, TelephoneType.HOME));
        Set<String> mobile = new TreeSet<>();
        if (text(c, "mobilePhone") != null) {
            mobile.add(text(c, "mobilePhone"));
        }
        m.check(item, "TEL cell (mobilePhone)", mobile, phones(v, TelephoneType.CELL));
        address(item, "home", c.path("homeAddress"), v, AddressType.HOME, m);
        address(item, "work", c.path("businessAddress"), v, AddressType.WORK, m);
        address(item, "other", c.path("otherAddress"), v, AddressType.get("other"), m);
        m.check(item, "URL (businessHomePage)", text(c, "businessHomePage"), v.getUrls().isEmpty() ? null : v.getUrls().get(0).getValue());
        String birthday = text(c, "birthday");
        m.check(item, "BDAY", birthday == null ? null : nearestDate(Instant.parse(birthday)), birthday(v));
        String notes = text(c, "personalNotes");
        m.check(item, "NOTE (personalNotes)", notes, v.getNotes().isEmpty() ? null : v.getNotes().get(0).getValue());
        m.check(item, "CATEGORIES", strings(c.path("categories")),
                v.getCategories() == null ? Set.of() : new TreeSet<>(v.getCategories().getValues()));
        m.check(item, "X-MS-MANAGER", text(c, "manager"), raw(v, "X-MS-MANAGER"));
        m.check(item, "X-MS-ASSISTANT", text(c, "assistantName"), raw(v, "X-MS-ASSISTANT"));
        m.check(item, "X-MS-SPOUSE", text(c, "spouseName"), raw(v, "X-MS-SPOUSE"));
        m.check(item, "X-MS-CHILD", strings(c.path("children")), rawAll(v, "X-MS-CHILD"));
        m.check(item, "X-MS-FILEAS", text(c, "fileAs"), raw(v, "X-MS-FILEAS"));
        m.check(item, "X-MS-INITIALS", text(c, "initials"), raw(v, "X-MS-INITIALS"));
        m.check(item, "X-MS-OFFICELOCATION", text(c, "officeLocation"), raw(v, "X-MS-OFFICELOCATION"));
        m.check(item, "X-PHONETIC-FIRST-NAME", text(c, "yomiGivenName"), raw(v, "X-PHONETIC-FIRST-NAME"));
        m.check(item, "X-PHONETIC-LAST-NAME", text(c, "yomiSurname"), raw(v, "X-PHONETIC-LAST-NAME"));
        m.check(item, "X-PHONETIC-ORG", text(c, "yomiCompanyName"), raw(v, "X-PHONETIC-ORG"));
        m.check(item, "X-MS-IMADDRESS", strings(c.path("imAddresses")), rawAll(v, "X-MS-IMADDRESS"));
        byte[] actualPhoto = v.getPhotos().isEmpty() ? null : v.getPhotos().get(0).getData();
        m.check(item, "PHOTO (bytes)", photo.map(Arrays::toString).orElse(null), actualPhoto == null ? null : Arrays.toString(actualPhoto));
    }

    private static Object birthday(VCard v) {
        if (v.getBirthday() == null) {
            return null;
        }
        if (v.getBirthday().getDate() != null) {
            java.time.temporal.Temporal date = v.getBirthday().getDate();
            return date.isSupported(java.time.temporal.ChronoField.OFFSET_SECONDS)
                    ? "a date-time, not a date: " + date : LocalDate.from(date);
        }
        return v.getBirthday().getPartialDate() != null ? v.getBirthday().getPartialDate().toISO8601(true) : v.getBirthday().getText();
    }

    private static void address(String item, String label, JsonNode a, VCard v, AddressType type, Mismatches m) {
        List<String> expected = List.of(a.path("street").asText(""), a.path("city").asText(""), a.path("state").asText(""),
                a.path("postalCode").asText(""), a.path("countryOrRegion").asText(""));
        boolean empty = expected.stream().allMatch(String::isEmpty);
        Address found = v.getAddresses().stream().filter(x -> x.getTypes().contains(type)).findFirst().orElse(null);
        List<String> actual = found == null ? null : List.of(nz(found.getStreetAddress()), nz(found.getLocality()), nz(found.getRegion()),
                nz(found.getPostalCode()), nz(found.getCountry()));
        m.check(item, "ADR " + label + " (street, city, region, postal code, country)", empty ? null : expected, actual);
    }

    private static Set<String> phones(VCard v, TelephoneType type) {
        Set<String> out = new TreeSet<>();
        for (Telephone t : v.getTelephoneNumbers()) {
            if (t.getTypes().contains(type)) {
                out.add(t.getText() != null ? t.getText() : t.getUri().getNumber());
            }
        }
        return out;
    }

    private static String raw(VCard v, String name) {
        RawProperty p = v.getExtendedProperty(name);
        return p == null ? null : unescape(p.getValue());
    }

    /** X- values are TEXT (RFC 6350 3.3): ez-vcard hands them out raw, with their escapes. */
    private static String unescape(String raw) {
        return raw == null ? null : raw.replaceAll("\\\\([,;\\\\])", "$1");
    }

    private static Set<String> rawAll(VCard v, String name) {
        Set<String> out = new TreeSet<>();
        v.getExtendedProperties(name).forEach(p -> out.add(unescape(p.getValue())));
        return out;
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> out = new TreeSet<>();
        array.forEach(x -> {
            if (!x.asText().isEmpty()) {
                out.add(x.asText());
            }
        });
        return out;
    }

    private static String text(JsonNode c, String field) {
        JsonNode n = c.path(field);
        return n.isMissingNode() || n.isNull() || n.asText().isEmpty() ? null : n.asText();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /** The calendar date nearest to the stored instant (Graph keeps birthdays as an instant near midnight or noon). */
    private static Object nearestDate(Instant instant) {
        return LocalDate.ofInstant(instant.plusSeconds(12 * 3600), ZoneOffset.UTC);
    }

    static List<String> ids(List<JsonNode> contacts) {
        List<String> out = new ArrayList<>();
        contacts.forEach(c -> out.add(c.path("id").asText()));
        return out;
    }
}
