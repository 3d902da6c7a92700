package io.nexchange.graph.contacts.mapping;

import static io.nexchange.graph.contacts.mapping.ContactVCardFields.ASSISTANT;
import static io.nexchange.graph.contacts.mapping.ContactVCardFields.CHILD;
import static io.nexchange.graph.contacts.mapping.ContactVCardFields.EMAIL_NAME_PARAM;
import static io.nexchange.graph.contacts.mapping.ContactVCardFields.FILE_AS;
import static io.nexchange.graph.contacts.mapping.ContactVCardFields.IM_ADDRESS;
import static io.nexchange.graph.contacts.mapping.ContactVCardFields.INITIALS;
import static io.nexchange.graph.contacts.mapping.ContactVCardFields.MANAGER;
import static io.nexchange.graph.contacts.mapping.ContactVCardFields.OFFICE_LOCATION;
import static io.nexchange.graph.contacts.mapping.ContactVCardFields.OTHER_TYPE;
import static io.nexchange.graph.contacts.mapping.ContactVCardFields.SPOUSE;
import static io.nexchange.graph.contacts.mapping.ContactVCardFields.YOMI_COMPANY;
import static io.nexchange.graph.contacts.mapping.ContactVCardFields.YOMI_GIVEN_NAME;
import static io.nexchange.graph.contacts.mapping.ContactVCardFields.YOMI_SURNAME;

import com.microsoft.graph.models.Contact;
import com.microsoft.graph.models.EmailAddress;
import com.microsoft.graph.models.PhysicalAddress;
import ezvcard.Ezvcard;
import ezvcard.VCard;
import ezvcard.VCardVersion;
import ezvcard.parameter.AddressType;
import ezvcard.parameter.EmailType;
import ezvcard.parameter.ImageType;
import ezvcard.parameter.TelephoneType;
import ezvcard.property.Address;
import ezvcard.property.Birthday;
import ezvcard.property.Categories;
import ezvcard.property.Email;
import ezvcard.property.Impp;
import ezvcard.property.Organization;
import ezvcard.property.Photo;
import ezvcard.property.ProductId;
import ezvcard.property.Revision;
import ezvcard.property.StructuredName;
import ezvcard.property.Telephone;
import ezvcard.property.Uid;
import ezvcard.property.Url;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Writes a Graph contact as a vCard, every Graph field included (see {@link ContactVCardFields} for those
 * without a standard property). vCard 3.0 by default: Nextcloud (sabre/dav) stores 3.0 and 4.0 alike, and
 * 3.0 is what most CardDAV clients read best. The output depends on the input alone: an unchanged contact
 * gives the same text (content hashes).
 */
public final class ContactToVCard {

    public static final String PRODID = "-//Nexchange//Graph contact mapping 1.0//EN";

    private final VCardVersion version;

    public ContactToVCard() {
        this(VCardVersion.V3_0);
    }

    public ContactToVCard(VCardVersion version) {
        if (version == VCardVersion.V2_1) {
            throw new IllegalArgumentException("vCard 2.1 is not written; use 3.0 or 4.0");
        }
        this.version = Objects.requireNonNull(version);
    }

    /**
     * @param uid the contact's ItemKey value, written as UID
     * @param photo the contact's photo, or null if it has none
     */
    public String toText(Contact contact, String uid, ContactPhoto photo) {
        try {
            // every component of N and ADR, empty ones included (RFC 6350 6.2.2, RFC 2426 3.1.2): "N:Bansky;Pavel;;;"
            return Ezvcard.write(toVCard(contact, uid, photo)).version(version).prodId(false).includeTrailingSemicolons(true).go();
        } catch (RuntimeException e) {
            // whatever fails names the contact and the reason (an unexpected failure: Graph sent something not foreseen)
            String reason = e instanceof IllegalArgumentException ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
            throw new IllegalArgumentException("contact " + contact.getId() + " (\"" + nullToEmpty(contact.getDisplayName())
                    + "\") cannot be mapped: " + reason, e);
        }
    }

    public VCard toVCard(Contact contact, String uid, ContactPhoto photo) {
        if (uid == null || uid.isBlank()) {
            throw new IllegalArgumentException("a vCard needs a UID");
        }
        VCard card = new VCard(version);
        card.setProductId(new ProductId(PRODID));
        card.setUid(new Uid(uid));

        StructuredName name = new StructuredName();
        name.setFamily(blankToNull(contact.getSurname()));
        name.setGiven(blankToNull(contact.getGivenName()));
        addIfPresent(name.getAdditionalNames(), contact.getMiddleName());
        if (name.getFamily() == null && name.getGiven() == null && name.getAdditionalNames().isEmpty()) {
            namesFromDisplayName(contact).ifPresent(derived -> {
                name.setFamily(derived.getFamily());
                name.setGiven(derived.getGiven());
                name.getAdditionalNames().addAll(derived.getAdditionalNames());
            });
        }
        addIfPresent(name.getPrefixes(), contact.getTitle());
        addIfPresent(name.getSuffixes(), contact.getGeneration());
        card.setStructuredName(name);
        card.setFormattedName(formattedName(contact));
        if (notBlank(contact.getNickName())) {
            card.setNickname(contact.getNickName());
        }
        if (notBlank(contact.getCompanyName()) || notBlank(contact.getDepartment())) {
            Organization organization = new Organization();
            organization.getValues().add(nullToEmpty(contact.getCompanyName()));
            if (notBlank(contact.getDepartment())) {
                organization.getValues().add(contact.getDepartment());
            }
            card.setOrganization(organization);
        }
        if (notBlank(contact.getJobTitle())) {
            card.addTitle(contact.getJobTitle());
        }
        if (notBlank(contact.getProfession())) {
            card.addRole(contact.getProfession());
        }

        for (EmailAddress email : nullToEmpty(contact.getEmailAddresses())) {
            if (email == null || !notBlank(email.getAddress())) {
                continue;
            }
            Email property = new Email(email.getAddress().trim());
            if (version == VCardVersion.V3_0) {
                property.getTypes().add(EmailType.INTERNET);
            }
            if (notBlank(email.getName()) && !email.getName().trim().equalsIgnoreCase(email.getAddress().trim())) {
                property.getParameters().put(EMAIL_NAME_PARAM, email.getName());
            }
            card.addEmail(property);
        }
        for (String phone : nullToEmpty(contact.getBusinessPhones())) {
            addPhone(card, phone, TelephoneType.WORK);
        }
        for (String phone : nullToEmpty(contact.getHomePhones())) {
            addPhone(card, phone, TelephoneType.HOME);
        }
        addPhone(card, contact.getMobilePhone(), TelephoneType.CELL);

        addAddress(card, contact.getHomeAddress(), AddressType.HOME);
        addAddress(card, contact.getBusinessAddress(), AddressType.WORK);
        addAddress(card, contact.getOtherAddress(), AddressType.get(OTHER_TYPE));

        if (notBlank(contact.getBusinessHomePage())) {
            Url url = new Url(contact.getBusinessHomePage().trim());
            url.setType("work");
            card.addUrl(url);
        }
        for (String im : nullToEmpty(contact.getImAddresses())) {
            if (notBlank(im)) {
                card.addImpp(new Impp(imUri(im.trim())));
                card.addExtendedProperty(IM_ADDRESS, escapeText(im.trim()));
            }
        }
        if (contact.getBirthday() != null) {
            card.setBirthday(new Birthday(birthdayDate(contact.getBirthday())));
        }
        if (notBlank(contact.getPersonalNotes())) {
            card.addNote(contact.getPersonalNotes().replace("\r\n", "\n"));
        }
        List<String> categories = nullToEmpty(contact.getCategories()).stream().filter(ContactToVCard::notBlank).distinct().toList();
        if (!categories.isEmpty()) {
            Categories property = new Categories();
            property.getValues().addAll(categories);
            card.setCategories(property);
        }
        extended(card, MANAGER, contact.getManager());
        extended(card, ASSISTANT, contact.getAssistantName());
        extended(card, SPOUSE, contact.getSpouseName());
        for (String child : nullToEmpty(contact.getChildren())) {
            extended(card, CHILD, child);
        }
        extended(card, FILE_AS, contact.getFileAs());
        extended(card, INITIALS, contact.getInitials());
        extended(card, OFFICE_LOCATION, contact.getOfficeLocation());
        extended(card, YOMI_GIVEN_NAME, contact.getYomiGivenName());
        extended(card, YOMI_SURNAME, contact.getYomiSurname());
        extended(card, YOMI_COMPANY, contact.getYomiCompanyName());

        if (photo != null) {
            card.addPhoto(new Photo(photo.bytes(), imageType(photo.mediaType())));
        }
        if (contact.getLastModifiedDateTime() != null) {
            card.setRevision(new Revision(contact.getLastModifiedDateTime().toInstant().truncatedTo(ChronoUnit.SECONDS)));
        }
        return card;
    }

    /**
     * The calendar date of a Graph birthday. Exchange keeps it as a date-time, midnight in some zone, written
     * in UTC (22:00Z the day before for a Berlin mailbox, 05:00Z for New York): the nearest date to noon is
     * the one meant.
     */
    static LocalDate birthdayDate(OffsetDateTime birthday) {
        Instant instant = birthday.toInstant();
        // noon itself (how this mapping writes birthdays) stays on its own day
        return instant.plus(12, ChronoUnit.HOURS).minusSeconds(1).atOffset(ZoneOffset.UTC).toLocalDate();
    }

    /** IMPP wants a URI; Exchange IM addresses are usually SIP addresses, kept bare. */
    static String imUri(String im) {
        return im.matches("^[A-Za-z][A-Za-z0-9+.-]*:.+") ? im : "sip:" + im;
    }

    private static ImageType imageType(String mediaType) {
        ImageType known = ImageType.find(null, mediaType, null);
        if (known != null) {
            return known;
        }
        String extension = mediaType.substring(mediaType.indexOf('/') + 1).toLowerCase(Locale.ROOT);
        return ImageType.get(extension.toUpperCase(Locale.ROOT), mediaType, extension);
    }

    /**
     * Given, middle and family name from the display name, as Outlook splits a full name typed into one field:
     * "Family, Given" or "Given [Middle…] Family", one word a given name. Not for a display name that is an
     * e-mail address or the company's name (a company card has no person's name).
     */
    static java.util.Optional<StructuredName> namesFromDisplayName(Contact contact) {
        String display = contact.getDisplayName() == null ? "" : contact.getDisplayName().trim().replaceAll("\\s+", " ");
        if (display.isEmpty() || display.contains("@") || display.equalsIgnoreCase(nullToEmpty(contact.getCompanyName()).trim())) {
            return java.util.Optional.empty();
        }
        StructuredName name = new StructuredName();
        int comma = display.indexOf(',');
        if (comma > 0 && comma < display.length() - 1) {
            name.setFamily(display.substring(0, comma).trim());
            name.setGiven(display.substring(comma + 1).trim());
            return java.util.Optional.of(name);
        }
        String[] words = display.replace(",", "").trim().split(" ");
        name.setGiven(words[0]);
        if (words.length > 1) {
            name.setFamily(words[words.length - 1]);
            name.getAdditionalNames().addAll(List.of(words).subList(1, words.length - 1));
        }
        return java.util.Optional.of(name);
    }

    private static String formattedName(Contact contact) {
        if (notBlank(contact.getDisplayName())) {
            return contact.getDisplayName().trim();
        }
        String composed = String.join(" ", java.util.stream.Stream.of(contact.getGivenName(), contact.getMiddleName(), contact.getSurname())
            .filter(ContactToVCard::notBlank).map(String::trim).toList());
        if (!composed.isEmpty()) {
            return composed;
        }
        if (notBlank(contact.getFileAs())) {
            return contact.getFileAs().trim();
        }
        if (notBlank(contact.getCompanyName())) {
            return contact.getCompanyName().trim();
        }
        // FN is required in vCard 3.0 and 4.0
        return nullToEmpty(contact.getEmailAddresses()).stream().map(EmailAddress::getAddress).filter(ContactToVCard::notBlank).findFirst().orElse("");
    }

    private static void addPhone(VCard card, String number, TelephoneType type) {
        if (notBlank(number)) {
            Telephone telephone = new Telephone(number.trim());
            telephone.getTypes().add(type);
            telephone.getTypes().add(TelephoneType.VOICE);
            card.addTelephoneNumber(telephone);
        }
    }

    private static void addAddress(VCard card, PhysicalAddress address, AddressType type) {
        if (address == null || !(notBlank(address.getStreet()) || notBlank(address.getCity()) || notBlank(address.getState())
            || notBlank(address.getPostalCode()) || notBlank(address.getCountryOrRegion()))) {
            return;
        }
        Address adr = new Address();
        adr.setStreetAddress(blankToNull(address.getStreet() == null ? null : address.getStreet().replace("\r\n", "\n")));
        adr.setLocality(blankToNull(address.getCity()));
        adr.setRegion(blankToNull(address.getState()));
        adr.setPostalCode(blankToNull(address.getPostalCode()));
        adr.setCountry(blankToNull(address.getCountryOrRegion()));
        adr.getTypes().add(type);
        card.addAddress(adr);
    }

    private static void extended(VCard card, String name, String value) {
        if (notBlank(value)) {
            card.addExtendedProperty(name, escapeText(value.replace("\r\n", "\n")));
        }
    }

    /**
     * An X- property's value is TEXT (RFC 6350 3.3, RFC 2426 4): backslash, comma and semicolon are escaped. ez-vcard
     * writes a raw property's value exactly as given, and a server that parses TEXT (Radicale's vobject) takes an
     * unescaped comma for a list separator and kept only "Vance" of X-MS-FILEAS "Vance, Adele". Line breaks are left
     * to ez-vcard, which writes them as \n.
     */
    static String escapeText(String value) {
        return value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;");
    }

    private static void addIfPresent(List<String> list, String value) {
        if (notBlank(value)) {
            list.add(value.trim());
        }
    }

    static boolean notBlank(String text) {
        return text != null && !text.isBlank();
    }

    private static String blankToNull(String text) {
        return notBlank(text) ? text : null;
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }

    private static <T> List<T> nullToEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
