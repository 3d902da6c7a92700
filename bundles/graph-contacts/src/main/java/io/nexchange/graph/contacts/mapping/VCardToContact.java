package io.nexchange.graph.contacts.mapping;

import static io.nexchange.graph.contacts.mapping.ContactVCardFields.ASSISTANT;
import static io.nexchange.graph.contacts.mapping.ContactVCardFields.CHILD;
import static io.nexchange.graph.contacts.mapping.ContactVCardFields.EMAIL_NAME_PARAM;
import static io.nexchange.graph.contacts.mapping.ContactVCardFields.FILE_AS;
import static io.nexchange.graph.contacts.mapping.ContactVCardFields.IM_ADDRESS;
import static io.nexchange.graph.contacts.mapping.ContactVCardFields.INITIALS;
import static io.nexchange.graph.contacts.mapping.ContactVCardFields.MANAGER;
import static io.nexchange.graph.contacts.mapping.ContactVCardFields.OFFICE_LOCATION;
import static io.nexchange.graph.contacts.mapping.ContactVCardFields.SPOUSE;
import static io.nexchange.graph.contacts.mapping.ContactVCardFields.YOMI_COMPANY;
import static io.nexchange.graph.contacts.mapping.ContactVCardFields.YOMI_GIVEN_NAME;
import static io.nexchange.graph.contacts.mapping.ContactVCardFields.YOMI_SURNAME;

import com.microsoft.graph.models.Contact;
import com.microsoft.graph.models.EmailAddress;
import com.microsoft.graph.models.PhysicalAddress;
import ezvcard.Ezvcard;
import ezvcard.VCard;
import ezvcard.parameter.AddressType;
import ezvcard.parameter.TelephoneType;
import ezvcard.property.Address;
import ezvcard.property.Birthday;
import ezvcard.property.Email;
import ezvcard.property.Impp;
import ezvcard.property.Organization;
import ezvcard.property.Photo;
import ezvcard.property.RawProperty;
import ezvcard.property.StructuredName;
import ezvcard.property.Telephone;
import ezvcard.property.TextListProperty;
import ezvcard.property.TextProperty;
import ezvcard.util.PartialDate;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a vCard (2.1, 3.0 or 4.0, as any CardDAV client writes it) into the Graph contact to POST/PATCH
 * and its photo. The reverse of {@link ContactToVCard}. Exchange has fixed slots where vCard has lists
 * (three e-mail addresses, one mobile number, one address per kind); what does not fit is dropped and
 * logged, not silently merged into another field.
 */
public final class VCardToContact {

    /** Exchange keeps at most three e-mail addresses per contact (Email1..Email3). */
    static final int MAX_EMAILS = 3;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(VCardToContact.class);

    public ContactWrite fromText(String vcardText) {
        VCard card = Ezvcard.parse(vcardText).first();
        if (card == null) {
            throw new IllegalArgumentException("not a vCard");
        }
        return fromVCard(card);
    }

    public ContactWrite fromVCard(VCard card) {
        String uid = card.getUid() == null ? null : card.getUid().getValue();
        if (uid == null || uid.isBlank()) {
            throw new IllegalArgumentException("the vCard has no UID");
        }
        Contact contact = new Contact();
        StructuredName name = card.getStructuredName();
        contact.setSurname(name == null ? "" : nullToEmpty(name.getFamily()));
        contact.setGivenName(name == null ? "" : nullToEmpty(name.getGiven()));
        contact.setMiddleName(name == null ? "" : String.join(" ", name.getAdditionalNames()));
        contact.setTitle(name == null ? "" : String.join(" ", name.getPrefixes()));
        contact.setGeneration(name == null ? "" : String.join(" ", name.getSuffixes()));
        contact.setDisplayName(card.getFormattedName() == null ? "" : nullToEmpty(card.getFormattedName().getValue()));
        contact.setNickName(card.getNickname() == null ? "" : String.join(", ", card.getNickname().getValues()));

        Organization organization = card.getOrganization();
        List<String> units = organization == null ? List.of() : organization.getValues();
        contact.setCompanyName(units.isEmpty() ? "" : units.get(0));
        contact.setDepartment(units.size() < 2 ? "" : String.join(", ", units.subList(1, units.size())));
        contact.setJobTitle(first(card.getTitles()));
        contact.setProfession(first(card.getRoles()));

        List<EmailAddress> emails = new ArrayList<>();
        for (Email email : card.getEmails()) {
            if (email.getValue() == null || email.getValue().isBlank()) {
                continue;
            }
            if (emails.size() == MAX_EMAILS) {
                LOG.info("vCard {}: e-mail address beyond the {} Exchange keeps left out", uid, MAX_EMAILS);
                break;
            }
            EmailAddress address = new EmailAddress();
            address.setAddress(email.getValue().trim());
            String emailName = email.getParameter(EMAIL_NAME_PARAM);
            address.setName(emailName != null ? emailName : address.getAddress());
            emails.add(address);
        }
        contact.setEmailAddresses(emails);

        List<String> business = new ArrayList<>();
        List<String> home = new ArrayList<>();
        String mobile = null;
        for (Telephone telephone : card.getTelephoneNumbers()) {
            String number = telephone.getText() != null ? telephone.getText()
                : telephone.getUri() != null ? telephone.getUri().getNumber() : null;
            if (number == null || number.isBlank()) {
                continue;
            }
            List<TelephoneType> types = telephone.getTypes();
            if (types.contains(TelephoneType.CELL) && mobile == null) {
                mobile = number.trim();
            } else if (types.contains(TelephoneType.HOME)) {
                home.add(number.trim());
            } else {
                // work, untyped, and a second mobile: Exchange's business numbers are the open-ended list
                business.add(number.trim());
            }
        }
        contact.setBusinessPhones(business);
        contact.setHomePhones(home);
        contact.setMobilePhone(nullToEmpty(mobile));

        PhysicalAddress homeAddress = null;
        PhysicalAddress businessAddress = null;
        PhysicalAddress otherAddress = null;
        for (Address address : card.getAddresses()) {
            List<AddressType> types = address.getTypes();
            if (types.contains(AddressType.HOME) && homeAddress == null) {
                homeAddress = physical(address);
            } else if (types.contains(AddressType.WORK) && businessAddress == null) {
                businessAddress = physical(address);
            } else if (otherAddress == null) {
                otherAddress = physical(address);
            } else {
                LOG.info("vCard {}: address beyond home, work and other left out", uid);
            }
        }
        contact.setHomeAddress(homeAddress != null ? homeAddress : new PhysicalAddress());
        contact.setBusinessAddress(businessAddress != null ? businessAddress : new PhysicalAddress());
        contact.setOtherAddress(otherAddress != null ? otherAddress : new PhysicalAddress());

        contact.setBusinessHomePage(card.getUrls().isEmpty() ? "" : nullToEmpty(card.getUrls().get(0).getValue()));
        contact.setImAddresses(imAddresses(card));
        contact.setBirthday(birthday(card.getBirthday()));
        contact.setPersonalNotes(card.getNotes().stream().map(TextProperty::getValue).filter(v -> v != null && !v.isBlank())
            .collect(Collectors.joining("\n\n")));
        List<String> categories = new ArrayList<>();
        for (TextListProperty property : card.getCategoriesList()) {
            for (String category : property.getValues()) {
                if (!category.isBlank() && !categories.contains(category)) {
                    categories.add(category);
                }
            }
        }
        contact.setCategories(categories);

        // Exchange's own fields travel in X- properties that most CardDAV clients neither show nor keep: one a client
        // dropped is left out of the PATCH, so Exchange keeps it (an empty X- property clears it)
        ifPresent(card, MANAGER, contact::setManager);
        ifPresent(card, ASSISTANT, contact::setAssistantName);
        ifPresent(card, SPOUSE, contact::setSpouseName);
        if (!card.getExtendedProperties(CHILD).isEmpty()) {
            contact.setChildren(card.getExtendedProperties(CHILD).stream().map(RawProperty::getValue)
                    .filter(v -> v != null && !v.isBlank()).map(VCardToContact::unescapeText).toList());
        }
        ifPresent(card, FILE_AS, contact::setFileAs);
        ifPresent(card, INITIALS, contact::setInitials);
        ifPresent(card, OFFICE_LOCATION, contact::setOfficeLocation);
        ifPresent(card, YOMI_GIVEN_NAME, contact::setYomiGivenName);
        ifPresent(card, YOMI_SURNAME, contact::setYomiSurname);
        ifPresent(card, YOMI_COMPANY, contact::setYomiCompanyName);

        return new ContactWrite(uid, contact, photo(card));
    }

    /**
     * Graph's exact IM addresses come back from X-MS-IMADDRESS while the card's IMPPs still say the same;
     * a client that edited IMPP (and left the X- property alone) wins.
     */
    private static List<String> imAddresses(VCard card) {
        List<String> impps = new ArrayList<>();
        for (Impp impp : card.getImpps()) {
            if (impp.getUri() != null) {
                impps.add(impp.getUri().toString());
            }
        }
        List<String> exact = card.getExtendedProperties(IM_ADDRESS).stream().map(RawProperty::getValue)
            .filter(v -> v != null && !v.isBlank()).map(VCardToContact::unescapeText).map(String::trim).toList();
        if (!exact.isEmpty() && exact.stream().map(ContactToVCard::imUri).collect(Collectors.toSet()).equals(Set.copyOf(impps))) {
            return exact;
        }
        return impps;
    }

    private static Optional<ContactPhoto> photo(VCard card) {
        for (Photo photo : card.getPhotos()) {
            if (photo.getData() != null && photo.getData().length > 0) {
                String mediaType = photo.getContentType() != null && photo.getContentType().getMediaType() != null
                    ? photo.getContentType().getMediaType() : "image/jpeg";
                return Optional.of(new ContactPhoto(photo.getData(), mediaType));
            }
        }
        return Optional.empty();
    }

    /** Noon UTC: the date stays the same in every zone from UTC−11 to UTC+11, wherever Outlook shows it. */
    private static OffsetDateTime birthday(Birthday birthday) {
        if (birthday == null) {
            return null;
        }
        TemporalAccessor date = birthday.getDate();
        LocalDate local;
        if (date != null) {
            local = LocalDate.from(date);
        } else {
            PartialDate partial = birthday.getPartialDate();
            if (partial == null || partial.getMonth() == null || partial.getDate() == null) {
                return null;
            }
            // Exchange needs a year; 1604 is the "no year" marker Apple and Outlook use
            local = LocalDate.of(partial.getYear() != null ? partial.getYear() : 1604, partial.getMonth(), partial.getDate());
        }
        return local.atTime(12, 0).atOffset(ZoneOffset.UTC);
    }

    private static PhysicalAddress physical(Address address) {
        PhysicalAddress physical = new PhysicalAddress();
        physical.setStreet(joinLines(address.getStreetAddresses(), address.getExtendedAddresses()));
        physical.setCity(nullToEmpty(address.getLocality()));
        physical.setState(nullToEmpty(address.getRegion()));
        physical.setPostalCode(nullToEmpty(address.getPostalCode()));
        physical.setCountryOrRegion(nullToEmpty(address.getCountry()));
        return physical;
    }

    private static String joinLines(List<String> street, List<String> extended) {
        List<String> lines = new ArrayList<>(street);
        lines.addAll(extended);
        return lines.stream().filter(l -> l != null && !l.isBlank()).collect(Collectors.joining("\n"));
    }

    private static String first(List<? extends TextProperty> properties) {
        return properties.stream().map(TextProperty::getValue).filter(v -> v != null && !v.isBlank()).findFirst().orElse("");
    }

    private static void ifPresent(VCard card, String name, java.util.function.Consumer<String> setter) {
        if (card.getExtendedProperty(name) != null) {
            setter.accept(extended(card, name));
        }
    }

    private static String extended(VCard card, String name) {
        RawProperty property = card.getExtendedProperty(name);
        return property == null || property.getValue() == null ? "" : unescapeText(property.getValue());
    }

    /** The TEXT escapes of an X- property (ez-vcard hands raw values out as written): \\, \, \; (\n is ez-vcard's). */
    static String unescapeText(String raw) {
        if (raw.indexOf('\\') < 0) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length() && ",;\\".indexOf(raw.charAt(i + 1)) >= 0) {
                out.append(raw.charAt(++i));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }
}
