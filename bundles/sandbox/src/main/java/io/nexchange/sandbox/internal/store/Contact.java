package io.nexchange.sandbox.internal.store;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSetter;
import io.nexchange.sandbox.internal.store.Values.EmailAddress;
import io.nexchange.sandbox.internal.store.Values.PhysicalAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A contact as Graph shows it (public fields named and ordered like Graph's JSON). */
@JsonPropertyOrder({"id", "createdDateTime", "lastModifiedDateTime", "changeKey", "categories", "parentFolderId",
        "birthday", "fileAs", "displayName", "givenName", "initials", "middleName", "nickName", "surname", "title",
        "yomiGivenName", "yomiSurname", "yomiCompanyName", "generation", "imAddresses", "jobTitle", "companyName",
        "department", "officeLocation", "profession", "businessHomePage", "assistantName", "manager", "homePhones",
        "mobilePhone", "businessPhones", "spouseName", "personalNotes", "children", "emailAddresses", "homeAddress",
        "businessAddress", "otherAddress"})
public final class Contact {
    public String id;
    public String createdDateTime;
    public String lastModifiedDateTime;
    public String changeKey;
    public List<String> categories = new ArrayList<>();
    public String parentFolderId;
    public String birthday;
    public String fileAs = "";
    public String displayName = "";
    public String givenName;
    public String initials;
    public String middleName;
    public String nickName;
    public String surname;
    public String title;
    public String yomiGivenName;
    public String yomiSurname;
    public String yomiCompanyName;
    public String generation;
    public List<String> imAddresses = new ArrayList<>();
    public String jobTitle;
    public String companyName;
    public String department;
    public String officeLocation;
    public String profession;
    public String businessHomePage;
    public String assistantName;
    public String manager;
    public List<String> homePhones = new ArrayList<>();
    public String mobilePhone;
    public List<String> businessPhones = new ArrayList<>();
    public String spouseName;
    public String personalNotes = "";
    public List<String> children = new ArrayList<>();
    public List<EmailAddress> emailAddresses = new ArrayList<>();
    public PhysicalAddress homeAddress = new PhysicalAddress();
    public PhysicalAddress businessAddress = new PhysicalAddress();
    public PhysicalAddress otherAddress = new PhysicalAddress();

    /**
     * Single-value extended properties (MAPI named properties) by id, as a POST or PATCH set them. Graph shows them only
     * when {@code $expand} names them, so they are not part of the JSON.
     */
    @JsonIgnore
    public Map<String, String> extendedProperties = new LinkedHashMap<>();

    @JsonSetter("singleValueExtendedProperties")
    public void setSingleValueExtendedProperties(List<Map<String, String>> properties) {
        if (properties != null) {
            properties.forEach(p -> extendedProperties.put(p.get("id"), p.get("value")));
        }
    }

    @JsonIgnore
    public byte[] photo;
    @JsonIgnore
    public String photoContentType;
    @JsonIgnore
    public int photoSize;
}
