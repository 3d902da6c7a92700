package io.nexchange.ews.internal;

import com.microsoft.graph.models.Contact;
import com.microsoft.graph.models.EmailAddress;
import com.microsoft.graph.models.PhysicalAddress;
import io.nexchange.ews.internal.soap.SoapRequest;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A Graph contact (what the shared mapping makes of a vCard) as the writable properties of an EWS {@code Contact},
 * in the schema's order. Graph's lists become EWS's indexed entries (EmailAddress1-3, BusinessPhone/BusinessPhone2,
 * HomePhone/HomePhone2, MobilePhone, ImAddress1-3, Business/Home/Other addresses). Title and the yomi names have
 * no ContactItemType element and are not written.
 */
final class ContactItemWriter {
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'");
    private static final String[] ADDRESS_KEYS = {"Business", "Home", "Other"};
    private static final String[] ADDRESS_PARTS = {"Street", "City", "State", "CountryOrRegion", "PostalCode"};

    private ContactItemWriter() {
    }

    /**
     * The contact's properties.
     *
     * @param forCreate whole address entries (CreateItem) instead of one field per address part (UpdateItem)
     */
    static List<ItemField> fields(Contact c, boolean forCreate) {
        List<ItemField> f = new ArrayList<>();
        String notes = c.getPersonalNotes();
        f.add(ItemField.of("item:Body", notes == null || notes.isEmpty() ? null : r -> r.t("Body").attr("BodyType", "Text").text(notes).end()));
        List<String> categories = c.getCategories() == null ? List.of() : c.getCategories();
        f.add(ItemField.of("item:Categories", categories.isEmpty() ? null : r -> {
            r.t("Categories");
            categories.forEach(x -> r.tv("String", x));
            r.end();
        }));
        // Exchange derives FileAs and DisplayName when they are missing and refuses to delete them: set only
        if (c.getFileAs() != null && !c.getFileAs().isEmpty()) {
            f.add(text("contacts:FileAs", "FileAs", c.getFileAs()));
        }
        if (c.getDisplayName() != null && !c.getDisplayName().isEmpty()) {
            f.add(text("contacts:DisplayName", "DisplayName", c.getDisplayName()));
        }
        f.add(text("contacts:GivenName", "GivenName", c.getGivenName()));
        exchangeOnly(f, "contacts:Initials", "Initials", c.getInitials());
        f.add(text("contacts:MiddleName", "MiddleName", c.getMiddleName()));
        f.add(text("contacts:Nickname", "Nickname", c.getNickName()));
        f.add(text("contacts:CompanyName", "CompanyName", c.getCompanyName()));
        List<EmailAddress> emails = c.getEmailAddresses() == null ? List.of() : c.getEmailAddresses();
        for (int i = 0; i < 3; i++) {
            EmailAddress a = i < emails.size() ? emails.get(i) : null;
            String key = "EmailAddress" + (i + 1);
            f.add(ItemField.indexed("contacts:EmailAddress", key, a == null || a.getAddress() == null ? null
                    : r -> r.t("Entry").attr("Key", key).attr("Name", a.getName()).text(a.getAddress()).end()));
        }
        PhysicalAddress[] addresses = {c.getBusinessAddress(), c.getHomeAddress(), c.getOtherAddress()};
        for (int i = 0; i < 3; i++) {
            PhysicalAddress a = addresses[i];
            String key = ADDRESS_KEYS[i];
            if (forCreate) {
                f.add(ItemField.indexed("contacts:PhysicalAddress:Street", key, isEmpty(a) ? null : r -> {
                    r.t("Entry").attr("Key", key);
                    String[] values = parts(a);
                    for (int p = 0; p < ADDRESS_PARTS.length; p++) {
                        r.tv(ADDRESS_PARTS[p], values[p]);
                    }
                    r.end();
                }));
            } else {
                String[] values = parts(a);
                for (int p = 0; p < ADDRESS_PARTS.length; p++) {
                    String part = ADDRESS_PARTS[p];
                    String value = values[p];
                    f.add(ItemField.indexed("contacts:PhysicalAddress:" + part, key, value == null ? null
                            : r -> r.t("Entry").attr("Key", key).tv(part, value).end()));
                }
            }
        }
        List<String> business = c.getBusinessPhones() == null ? List.of() : c.getBusinessPhones();
        List<String> home = c.getHomePhones() == null ? List.of() : c.getHomePhones();
        f.add(phone("BusinessPhone", business.size() > 0 ? business.get(0) : null));
        f.add(phone("BusinessPhone2", business.size() > 1 ? business.get(1) : null));
        f.add(phone("HomePhone", home.size() > 0 ? home.get(0) : null));
        f.add(phone("HomePhone2", home.size() > 1 ? home.get(1) : null));
        f.add(phone("MobilePhone", c.getMobilePhone()));
        exchangeOnly(f, "contacts:AssistantName", "AssistantName", c.getAssistantName());
        f.add(ItemField.of("contacts:Birthday", c.getBirthday() == null ? null
                : r -> r.tv("Birthday", UTC.format(c.getBirthday().withOffsetSameInstant(ZoneOffset.UTC)))));
        f.add(text("contacts:BusinessHomePage", "BusinessHomePage", c.getBusinessHomePage()));
        List<String> children = c.getChildren() == null ? List.of() : c.getChildren();
        if (c.getChildren() != null) { // not given (the vCard had no X-MS-CHILD): left as Exchange has it
            f.add(ItemField.of("contacts:Children", children.isEmpty() ? null : r -> {
                r.t("Children");
                children.forEach(x -> r.tv("String", x));
                r.end();
            }));
        }
        f.add(text("contacts:Department", "Department", c.getDepartment()));
        f.add(text("contacts:Generation", "Generation", c.getGeneration()));
        List<String> ims = c.getImAddresses() == null ? List.of() : c.getImAddresses();
        for (int i = 0; i < 3; i++) {
            String im = i < ims.size() ? ims.get(i) : null;
            String key = "ImAddress" + (i + 1);
            f.add(ItemField.indexed("contacts:ImAddress", key, im == null ? null : r -> r.t("Entry").attr("Key", key).text(im).end()));
        }
        f.add(text("contacts:JobTitle", "JobTitle", c.getJobTitle()));
        exchangeOnly(f, "contacts:Manager", "Manager", c.getManager());
        exchangeOnly(f, "contacts:OfficeLocation", "OfficeLocation", c.getOfficeLocation());
        f.add(text("contacts:Profession", "Profession", c.getProfession()));
        exchangeOnly(f, "contacts:SpouseName", "SpouseName", c.getSpouseName());
        f.add(text("contacts:Surname", "Surname", c.getSurname()));
        return f;
    }

    /**
     * A field only Exchange shows, carried in an X- property CardDAV clients often drop: null (the vCard had none) leaves
     * it as Exchange has it, empty clears it (VCardToContact).
     */
    private static void exchangeOnly(List<ItemField> fields, String uri, String element, String value) {
        if (value != null) {
            fields.add(text(uri, element, value));
        }
    }

    private static ItemField text(String uri, String element, String value) {
        Consumer<SoapRequest> write = value == null || value.isEmpty() ? null : r -> r.tv(element, value);
        return ItemField.of(uri, write);
    }

    private static ItemField phone(String key, String value) {
        return ItemField.indexed("contacts:PhoneNumber", key, value == null || value.isEmpty() ? null
                : r -> r.t("Entry").attr("Key", key).text(value).end());
    }

    private static String[] parts(PhysicalAddress a) {
        return a == null ? new String[5] : new String[] {a.getStreet(), a.getCity(), a.getState(), a.getCountryOrRegion(), a.getPostalCode()};
    }

    private static boolean isEmpty(PhysicalAddress a) {
        for (String p : parts(a)) {
            if (p != null && !p.isEmpty()) {
                return false;
            }
        }
        return true;
    }
}
