package io.nexchange.ews.internal;

import static io.nexchange.ews.internal.CalendarItems.offset;
import static io.nexchange.ews.internal.CalendarItems.restId;
import static io.nexchange.ews.internal.CalendarItems.strings;
import static io.nexchange.ews.internal.CalendarItems.text;

import com.microsoft.graph.models.Contact;
import com.microsoft.graph.models.EmailAddress;
import com.microsoft.graph.models.PhysicalAddress;
import io.nexchange.ews.internal.soap.XmlElement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * EWS {@code Contact}s (GetItem, AllProperties) read into the Graph model the shared mapping
 * ({@code io.nexchange.graph.contacts.mapping}) turns into vCards. EWS's indexed fields (EmailAddress1-3,
 * BusinessPhone/BusinessPhone2, HomePhone/HomePhone2, MobilePhone, ImAddress1-3, Business/Home/Other addresses)
 * become Graph's lists and address fields.
 */
final class ContactItems {
    /** PidLidYomiCompanyName in PSETID_Address (0x802E). */
    static final int YOMI_COMPANY_PROPERTY = 0x802E;

    private ContactItems() {
    }

    static Contact toContact(XmlElement item) {
        Contact c = new Contact();
        XmlElement id = item.child("ItemId").orElseThrow(() -> new IllegalArgumentException("a Contact without ItemId"));
        c.setId(restId(id.attribute("Id")));
        c.setChangeKey(id.attribute("ChangeKey"));
        item.child("ParentFolderId").ifPresent(p -> c.setParentFolderId(restId(p.attribute("Id"))));
        item.child("Body").ifPresent(b -> c.setPersonalNotes(b.text()));
        c.setCategories(strings(item, "Categories"));
        text(item, "DateTimeCreated").ifPresent(s -> c.setCreatedDateTime(offset(s)));
        text(item, "LastModifiedTime").ifPresent(s -> c.setLastModifiedDateTime(offset(s)));
        c.setFileAs(item.childText("FileAs"));
        c.setDisplayName(item.childText("DisplayName"));
        c.setGivenName(item.childText("GivenName"));
        c.setInitials(item.childText("Initials"));
        c.setMiddleName(item.childText("MiddleName"));
        c.setNickName(item.childText("Nickname"));
        item.child("CompleteName").ifPresent(n -> {
            c.setTitle(n.childText("Title"));
            c.setYomiGivenName(n.childText("YomiFirstName"));
            c.setYomiSurname(n.childText("YomiLastName"));
        });
        c.setCompanyName(item.childText("CompanyName"));
        for (XmlElement p : item.children("ExtendedProperty")) {
            boolean yomiCompany = p.child("ExtendedFieldURI").map(u -> "Address".equals(u.attribute("DistinguishedPropertySetId"))
                    && String.valueOf(YOMI_COMPANY_PROPERTY).equals(u.attribute("PropertyId"))).orElse(false);
            if (yomiCompany) {
                c.setYomiCompanyName(p.childText("Value"));
            }
        }
        List<EmailAddress> emails = new ArrayList<>();
        for (String key : List.of("EmailAddress1", "EmailAddress2", "EmailAddress3")) {
            entry(item, "EmailAddresses", key).ifPresent(e -> {
                EmailAddress a = new EmailAddress();
                a.setName(e.attribute("Name"));
                a.setAddress(e.text());
                emails.add(a);
            });
        }
        c.setEmailAddresses(emails);
        entry(item, "PhysicalAddresses", "Business").ifPresent(e -> c.setBusinessAddress(address(e)));
        entry(item, "PhysicalAddresses", "Home").ifPresent(e -> c.setHomeAddress(address(e)));
        entry(item, "PhysicalAddresses", "Other").ifPresent(e -> c.setOtherAddress(address(e)));
        c.setBusinessPhones(phones(item, "BusinessPhone", "BusinessPhone2"));
        c.setHomePhones(phones(item, "HomePhone", "HomePhone2"));
        c.setMobilePhone(entry(item, "PhoneNumbers", "MobilePhone").map(XmlElement::text).orElse(null));
        c.setAssistantName(item.childText("AssistantName"));
        text(item, "Birthday").ifPresent(s -> c.setBirthday(offset(s)));
        c.setBusinessHomePage(item.childText("BusinessHomePage"));
        c.setChildren(strings(item, "Children"));
        c.setDepartment(item.childText("Department"));
        c.setGeneration(item.childText("Generation"));
        List<String> ims = new ArrayList<>();
        for (String key : List.of("ImAddress1", "ImAddress2", "ImAddress3")) {
            entry(item, "ImAddresses", key).ifPresent(e -> ims.add(e.text()));
        }
        c.setImAddresses(ims);
        c.setJobTitle(item.childText("JobTitle"));
        c.setManager(item.childText("Manager"));
        c.setOfficeLocation(item.childText("OfficeLocation"));
        c.setProfession(item.childText("Profession"));
        c.setSpouseName(item.childText("SpouseName"));
        c.setSurname(item.childText("Surname"));
        return c;
    }

    /** The AttachmentId of the contact's photo (a FileAttachment with IsContactPhoto), if it has one. */
    static Optional<String> photoAttachmentId(XmlElement item) {
        return item.child("Attachments").flatMap(list -> list.children("FileAttachment").stream()
                .filter(a -> "true".equals(a.childText("IsContactPhoto")))
                .flatMap(a -> a.child("AttachmentId").stream())
                .map(a -> a.attribute("Id"))
                .findFirst());
    }

    private static Optional<XmlElement> entry(XmlElement item, String dictionary, String key) {
        return item.child(dictionary).flatMap(d -> d.children("Entry").stream().filter(e -> key.equals(e.attribute("Key"))).findFirst());
    }

    private static List<String> phones(XmlElement item, String first, String second) {
        List<String> out = new ArrayList<>();
        entry(item, "PhoneNumbers", first).map(XmlElement::text).filter(s -> !s.isBlank()).ifPresent(out::add);
        entry(item, "PhoneNumbers", second).map(XmlElement::text).filter(s -> !s.isBlank()).ifPresent(out::add);
        return out;
    }

    private static PhysicalAddress address(XmlElement entry) {
        PhysicalAddress a = new PhysicalAddress();
        a.setStreet(entry.childText("Street"));
        a.setCity(entry.childText("City"));
        a.setState(entry.childText("State"));
        a.setCountryOrRegion(entry.childText("CountryOrRegion"));
        a.setPostalCode(entry.childText("PostalCode"));
        return a;
    }
}
