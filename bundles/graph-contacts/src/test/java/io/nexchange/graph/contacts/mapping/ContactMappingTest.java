package io.nexchange.graph.contacts.mapping;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.microsoft.graph.models.Contact;
import com.microsoft.graph.models.EmailAddress;
import com.microsoft.graph.models.PhysicalAddress;
import com.microsoft.kiota.serialization.JsonParseNodeFactory;
import com.microsoft.kiota.serialization.JsonSerializationWriter;
import ezvcard.Ezvcard;
import ezvcard.VCard;
import ezvcard.VCardVersion;
import ezvcard.parameter.AddressType;
import ezvcard.parameter.TelephoneType;
import ezvcard.property.Address;
import ezvcard.property.RawProperty;
import ezvcard.property.Telephone;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ContactMappingTest {

    static final String KEY = "AAMkAGI2THVSAAA=";

    /** Every field of resources/contact.md, as Graph sends it. */
    static final String FULL = """
        {
          "@odata.etag": "W/\\"EQAAABYAAACd\\"",
          "id": "AAMkAGI2THVSAAA=",
          "createdDateTime": "2024-05-02T08:15:30Z",
          "lastModifiedDateTime": "2024-05-03T09:00:01Z",
          "changeKey": "EQAAABYAAACd",
          "categories": ["Kunden", "VIP, A-Liste"],
          "parentFolderId": "AAMkAGI2AAEOAAA=",
          "birthday": "1974-07-21T22:00:00Z",
          "fileAs": "Müller-Lüdenscheidt, Jürgen",
          "displayName": "Dr. Jürgen Müller-Lüdenscheidt Jr.",
          "givenName": "Jürgen",
          "initials": "J.M.L.",
          "middleName": "Heinrich",
          "nickName": "Jogi",
          "surname": "Müller-Lüdenscheidt",
          "title": "Dr.",
          "yomiGivenName": "ユルゲン",
          "yomiSurname": "ミュラー",
          "yomiCompanyName": "コントソ",
          "generation": "Jr.",
          "imAddresses": ["sip:juergen@contoso.example", "juergen.m@chat.example"],
          "jobTitle": "Head of Purchasing",
          "companyName": "Contoso GmbH",
          "department": "Einkauf",
          "officeLocation": "Building 4, Room 4.12",
          "profession": "Engineer",
          "businessHomePage": "https://contoso.example/",
          "assistantName": "Anna Assistent",
          "manager": "Maria Managerin",
          "homePhones": ["+49 30 1234567", "+49 30 7654321"],
          "mobilePhone": "+49 170 1234567",
          "businessPhones": ["+49 89 9876543"],
          "spouseName": "Sabine",
          "personalNotes": "Met at CeBIT.\\nLikes; commas, and semicolons.\\n日本語 ✓ 😀",
          "children": ["Lena", "Tim"],
          "emailAddresses": [
            {"name": "Jürgen (work)", "address": "juergen@contoso.example"},
            {"name": "juergen@home.example", "address": "juergen@home.example"}],
          "homeAddress": {"street": "Hauptstraße 1\\nHinterhaus", "city": "Berlin", "state": "BE", "countryOrRegion": "Deutschland", "postalCode": "10115"},
          "businessAddress": {"street": "Industriestr. 5", "city": "München", "state": "BY", "countryOrRegion": "Germany", "postalCode": "80331"},
          "otherAddress": {"street": "Strandweg 9", "city": "Sylt", "state": "", "countryOrRegion": "", "postalCode": "25980"}
        }
        """;

    static final byte[] JPEG = new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0x10, 'J', 'F', 'I', 'F', 0, 1, 2, 3, (byte) 0xFF, (byte) 0xD9};

    static Contact contact(String json) {
        return new JsonParseNodeFactory(io.nexchange.graph.client.internal.LenientJson.gson()).getParseNode("application/json", new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)))
            .getObjectValue(Contact::createFromDiscriminatorValue);
    }

    private final ContactToVCard toVCard = new ContactToVCard();
    private final VCardToContact toContact = new VCardToContact();

    private VCard written(Contact contact, ContactPhoto photo) {
        String text = toVCard.toText(contact, KEY, photo);
        return Ezvcard.parse(text).first();
    }

    @Test
    void everyGraphFieldHasItsVCardProperty() {
        VCard card = written(contact(FULL), new ContactPhoto(JPEG, "image/jpeg"));
        assertAll(
            () -> assertEquals(VCardVersion.V3_0, card.getVersion()),
            () -> assertEquals(KEY, card.getUid().getValue()),
            () -> assertEquals("Dr. Jürgen Müller-Lüdenscheidt Jr.", card.getFormattedName().getValue()),
            () -> assertEquals("Müller-Lüdenscheidt", card.getStructuredName().getFamily()),
            () -> assertEquals("Jürgen", card.getStructuredName().getGiven()),
            () -> assertEquals(List.of("Heinrich"), card.getStructuredName().getAdditionalNames()),
            () -> assertEquals(List.of("Dr."), card.getStructuredName().getPrefixes()),
            () -> assertEquals(List.of("Jr."), card.getStructuredName().getSuffixes()),
            () -> assertEquals(List.of("Jogi"), card.getNickname().getValues()),
            () -> assertEquals(List.of("Contoso GmbH", "Einkauf"), card.getOrganization().getValues()),
            () -> assertEquals("Head of Purchasing", card.getTitles().get(0).getValue()),
            () -> assertEquals("Engineer", card.getRoles().get(0).getValue()),
            () -> assertEquals(List.of("juergen@contoso.example", "juergen@home.example"), card.getEmails().stream().map(e -> e.getValue()).toList()),
            () -> assertEquals("Jürgen (work)", card.getEmails().get(0).getParameter(ContactVCardFields.EMAIL_NAME_PARAM)),
            () -> assertNull(card.getEmails().get(1).getParameter(ContactVCardFields.EMAIL_NAME_PARAM)),
            () -> assertEquals(List.of("+49 89 9876543 [WORK]", "+49 30 1234567 [HOME]", "+49 30 7654321 [HOME]", "+49 170 1234567 [CELL]"),
                card.getTelephoneNumbers().stream().map(ContactMappingTest::phone).toList()),
            () -> assertEquals(List.of("home|Hauptstraße 1\nHinterhaus|Berlin|BE|10115|Deutschland", "work|Industriestr. 5|München|BY|80331|Germany",
                "other|Strandweg 9|Sylt|null|25980|null"), card.getAddresses().stream().map(ContactMappingTest::address).toList()),
            () -> assertEquals("https://contoso.example/", card.getUrls().get(0).getValue()),
            () -> assertEquals(List.of("sip:juergen@contoso.example", "sip:juergen.m@chat.example"),
                card.getImpps().stream().map(i -> i.getUri().toString()).toList()),
            () -> assertEquals(LocalDate.of(1974, 7, 22), LocalDate.from(card.getBirthday().getDate())),
            () -> assertEquals("Met at CeBIT.\nLikes; commas, and semicolons.\n日本語 ✓ 😀", card.getNotes().get(0).getValue()),
            () -> assertEquals(List.of("Kunden", "VIP, A-Liste"), card.getCategories().getValues()),
            () -> assertEquals("Maria Managerin", ext(card, ContactVCardFields.MANAGER)),
            () -> assertEquals("Anna Assistent", ext(card, ContactVCardFields.ASSISTANT)),
            // raw X- values as written: TEXT with its escapes
            () -> assertEquals("Sabine", ext(card, ContactVCardFields.SPOUSE)),
            () -> assertEquals(List.of("Lena", "Tim"), card.getExtendedProperties(ContactVCardFields.CHILD).stream().map(RawProperty::getValue).toList()),
            () -> assertEquals("Müller-Lüdenscheidt\\, Jürgen", ext(card, ContactVCardFields.FILE_AS)),
            () -> assertEquals("J.M.L.", ext(card, ContactVCardFields.INITIALS)),
            () -> assertEquals("Building 4\\, Room 4.12", ext(card, ContactVCardFields.OFFICE_LOCATION)),
            () -> assertEquals("ユルゲン", ext(card, ContactVCardFields.YOMI_GIVEN_NAME)),
            () -> assertEquals("ミュラー", ext(card, ContactVCardFields.YOMI_SURNAME)),
            () -> assertEquals("コントソ", ext(card, ContactVCardFields.YOMI_COMPANY)),
            () -> assertArrayEquals(JPEG, card.getPhotos().get(0).getData()),
            () -> assertEquals("image/jpeg", card.getPhotos().get(0).getContentType().getMediaType()));
    }

    private static String phone(Telephone telephone) {
        return telephone.getText() + " " + telephone.getTypes().stream().filter(t -> t != TelephoneType.VOICE).map(t -> t.getValue().toUpperCase()).toList();
    }

    private static String address(Address a) {
        return a.getTypes().get(0).getValue().toLowerCase() + "|" + a.getStreetAddress() + "|" + a.getLocality() + "|" + a.getRegion()
            + "|" + a.getPostalCode() + "|" + a.getCountry();
    }

    private static String ext(VCard card, String name) {
        return card.getExtendedProperty(name).getValue();
    }

    @Test
    void exchangeOnlyFieldsAClientDroppedAreLeftOutOfThePatch() {
        // a CardDAV client that keeps no X- properties: Exchange's manager, file-as, yomi names... must survive its edit
        Contact c = toContact.fromText("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:" + KEY + "\r\nFN:Ann Example\r\nN:Example;Ann;;;\r\n"
                + "X-MS-SPOUSE:\r\nEND:VCARD\r\n").contact();
        assertAll(
            () -> assertEquals(null, c.getManager()),
            () -> assertEquals(null, c.getAssistantName()),
            () -> assertEquals(null, c.getChildren()),
            () -> assertEquals(null, c.getFileAs()),
            () -> assertEquals(null, c.getInitials()),
            () -> assertEquals(null, c.getOfficeLocation()),
            () -> assertEquals(null, c.getYomiGivenName()),
            () -> assertEquals(null, c.getYomiSurname()),
            () -> assertEquals(null, c.getYomiCompanyName()),
            () -> assertEquals("", c.getSpouseName(), "an empty X- property clears the field"),
            () -> assertEquals("Ann", c.getGivenName(), "what the card carries is written"));
    }

    @Test
    void photoIsBase64InVersion3() {
        String text = toVCard.toText(contact(FULL), KEY, new ContactPhoto(JPEG, "image/jpeg"));
        assertTrue(text.contains("PHOTO;ENCODING=b;TYPE=jpeg:" + java.util.Base64.getEncoder().encodeToString(JPEG)), text);
    }

    @Test
    void versionFourWritesPhotoAsDataUri() {
        String text = new ContactToVCard(VCardVersion.V4_0).toText(contact(FULL), KEY, new ContactPhoto(JPEG, "image/jpeg"));
        assertTrue(text.contains("VERSION:4.0"), text);
        assertTrue(text.contains("PHOTO:data:image/jpeg;base64," + java.util.Base64.getEncoder().encodeToString(JPEG)), text);
    }

    @ParameterizedTest
    @EnumSource(value = VCardVersion.class, names = {"V3_0", "V4_0"})
    void everyFieldRoundTrips(VCardVersion version) throws Exception {
        Contact original = contact(FULL);
        ContactPhoto photo = new ContactPhoto(JPEG, "image/jpeg");
        ContactWrite back = toContact.fromText(new ContactToVCard(version).toText(original, KEY, photo));
        Contact c = back.contact();
        assertAll(
            () -> assertEquals(KEY, back.uid()),
            () -> assertEquals(Optional.of(photo), back.photo()),
            () -> assertEquals(original.getDisplayName(), c.getDisplayName()),
            () -> assertEquals(original.getGivenName(), c.getGivenName()),
            () -> assertEquals(original.getMiddleName(), c.getMiddleName()),
            () -> assertEquals(original.getSurname(), c.getSurname()),
            () -> assertEquals(original.getTitle(), c.getTitle()),
            () -> assertEquals(original.getGeneration(), c.getGeneration()),
            () -> assertEquals(original.getNickName(), c.getNickName()),
            () -> assertEquals(original.getInitials(), c.getInitials()),
            () -> assertEquals(original.getFileAs(), c.getFileAs()),
            () -> assertEquals(original.getYomiGivenName(), c.getYomiGivenName()),
            () -> assertEquals(original.getYomiSurname(), c.getYomiSurname()),
            () -> assertEquals(original.getYomiCompanyName(), c.getYomiCompanyName()),
            () -> assertEquals(original.getCompanyName(), c.getCompanyName()),
            () -> assertEquals(original.getDepartment(), c.getDepartment()),
            () -> assertEquals(original.getJobTitle(), c.getJobTitle()),
            () -> assertEquals(original.getProfession(), c.getProfession()),
            () -> assertEquals(original.getOfficeLocation(), c.getOfficeLocation()),
            () -> assertEquals(original.getManager(), c.getManager()),
            () -> assertEquals(original.getAssistantName(), c.getAssistantName()),
            () -> assertEquals(original.getSpouseName(), c.getSpouseName()),
            () -> assertEquals(original.getChildren(), c.getChildren()),
            () -> assertEquals(original.getBusinessHomePage(), c.getBusinessHomePage()),
            () -> assertEquals(original.getImAddresses(), c.getImAddresses()),
            () -> assertEquals(original.getBusinessPhones(), c.getBusinessPhones()),
            () -> assertEquals(original.getHomePhones(), c.getHomePhones()),
            () -> assertEquals(original.getMobilePhone(), c.getMobilePhone()),
            () -> assertEquals(emails(original), emails(c)),
            () -> assertEquals(address(original.getHomeAddress()), address(c.getHomeAddress())),
            () -> assertEquals(address(original.getBusinessAddress()), address(c.getBusinessAddress())),
            () -> assertEquals(address(original.getOtherAddress()), address(c.getOtherAddress())),
            () -> assertEquals(LocalDate.of(1974, 7, 22), c.getBirthday().toLocalDate()),
            () -> assertEquals(ContactToVCard.birthdayDate(original.getBirthday()), ContactToVCard.birthdayDate(c.getBirthday())),
            () -> assertEquals(original.getPersonalNotes(), c.getPersonalNotes()),
            () -> assertEquals(original.getCategories(), c.getCategories()));
    }

    private static List<String> emails(Contact contact) {
        return contact.getEmailAddresses().stream().map(e -> e.getAddress() + "|" + e.getName()).toList();
    }

    private static String address(PhysicalAddress a) {
        return String.join("|", n(a.getStreet()), n(a.getCity()), n(a.getState()), n(a.getPostalCode()), n(a.getCountryOrRegion()));
    }

    private static String n(String s) {
        return s == null ? "" : s;
    }

    @Test
    void outputIsDeterministicAndNeedsNoClock() {
        String first = toVCard.toText(contact(FULL), KEY, new ContactPhoto(JPEG, "image/jpeg"));
        String second = new ContactToVCard().toText(contact(FULL), KEY, new ContactPhoto(JPEG.clone(), "IMAGE/JPEG"));
        assertEquals(first, second);
        assertTrue(first.contains("REV:2024-05-03T09:00:01Z"), first);
        assertTrue(first.contains("PRODID:" + ContactToVCard.PRODID), first);
        assertFalse(first.replace("\r\n", "").contains("\n"), "bare LF");
    }

    @Test
    void minimalContactStillHasFormattedName() {
        VCard card = written(contact("{\"id\": \"x\", \"emailAddresses\": [{\"name\": \"\", \"address\": \"only@mail.example\"}]}"), null);
        assertEquals("only@mail.example", card.getFormattedName().getValue());
        assertTrue(card.getPhotos().isEmpty());
        assertTrue(card.getAddresses().isEmpty());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"1974-07-21T22:00:00Z,1974-07-22", "1974-07-22T00:00:00Z,1974-07-22", "1974-07-22T05:00:00Z,1974-07-22", "1974-07-22T11:59:00Z,1974-07-22"})
    void birthdayKeepsItsDateWhateverZoneExchangeStoredItIn(String graph, String date) {
        assertEquals(LocalDate.parse(date), ContactToVCard.birthdayDate(java.time.OffsetDateTime.parse(graph)));
    }

    @Test
    void cardsFromOtherClientsAreRead() {
        // Apple/iOS style: item-grouped properties, partial birthday, more numbers than Exchange slots
        ContactWrite write = toContact.fromText("""
            BEGIN:VCARD\r
            VERSION:3.0\r
            PRODID:-//Apple Inc.//iPhone OS 17.0//EN\r
            N:Gu;Lee;;;\r
            FN:Lee Gu\r
            ORG:Fabrikam;\r
            EMAIL;type=INTERNET;type=HOME;type=pref:lee@home.example\r
            EMAIL;type=INTERNET;type=WORK:lee@fabrikam.example\r
            EMAIL;type=INTERNET:lee@third.example\r
            EMAIL;type=INTERNET:lee@fourth.example\r
            TEL;type=CELL;type=VOICE;type=pref:+1 555 0100\r
            TEL;type=IPHONE;type=CELL;type=VOICE:+1 555 0101\r
            TEL;type=HOME;type=VOICE:+1 555 0102\r
            TEL:+1 555 0103\r
            item1.ADR;type=HOME;type=pref:;;1 Main St;Springfield;IL;62701;USA\r
            item1.X-ABADR:us\r
            BDAY;X-APPLE-OMIT-YEAR=1604:1604-03-15\r
            IMPP;X-SERVICE-TYPE=Skype;type=pref:skype:lee.gu\r
            UID:ios-uid-1\r
            END:VCARD\r
            """);
        Contact c = write.contact();
        assertAll(
            () -> assertEquals("ios-uid-1", write.uid()),
            () -> assertEquals("Lee", c.getGivenName()),
            () -> assertEquals("Fabrikam", c.getCompanyName()),
            () -> assertEquals("", c.getDepartment()),
            () -> assertEquals(List.of("lee@home.example", "lee@fabrikam.example", "lee@third.example"),
                c.getEmailAddresses().stream().map(EmailAddress::getAddress).toList(), "Exchange keeps three"),
            () -> assertEquals("+1 555 0100", c.getMobilePhone()),
            () -> assertEquals(List.of("+1 555 0102"), c.getHomePhones()),
            () -> assertEquals(List.of("+1 555 0101", "+1 555 0103"), c.getBusinessPhones()),
            () -> assertEquals("1 Main St", c.getHomeAddress().getStreet()),
            () -> assertEquals("Springfield", c.getHomeAddress().getCity()),
            () -> assertEquals(LocalDate.of(1604, 3, 15), c.getBirthday().toLocalDate()),
            () -> assertEquals(List.of("skype:lee.gu"), c.getImAddresses()),
            () -> assertTrue(write.photo().isEmpty()));
    }

    @Test
    void editedImppWinsOverStaleExactImAddress() {
        String text = toVCard.toText(contact(FULL), KEY, null).replace("IMPP:sip:juergen.m@chat.example", "IMPP:xmpp:juergen@jabber.example");
        assertEquals(List.of("sip:juergen@contoso.example", "xmpp:juergen@jabber.example"), toContact.fromText(text).contact().getImAddresses());
    }

    @Test
    void writeBodyHoldsOnlyWhatAClientMaySend() throws Exception {
        Contact contact = toContact.fromText(toVCard.toText(contact(FULL), KEY, null)).contact();
        String body;
        try (JsonSerializationWriter writer = new JsonSerializationWriter()) {
            writer.writeObjectValue(null, contact);
            body = new String(writer.getSerializedContent().readAllBytes(), StandardCharsets.UTF_8);
        }
        JsonObject json = JsonParser.parseString(body).getAsJsonObject();
        for (String readOnly : List.of("id", "changeKey", "parentFolderId", "createdDateTime", "lastModifiedDateTime", "photo")) {
            assertFalse(json.has(readOnly), readOnly + " in " + body);
        }
        assertEquals(Set.of("Kunden", "VIP, A-Liste"), Set.of(json.getAsJsonArray("categories").get(0).getAsString(), json.getAsJsonArray("categories").get(1).getAsString()));
        assertEquals("1974-07-22T12:00:00Z", json.get("birthday").getAsString());
    }

    @Test
    void otherAddressUsesItsOwnType() {
        VCard card = written(contact(FULL), null);
        assertEquals(AddressType.get(ContactVCardFields.OTHER_TYPE), card.getAddresses().get(2).getTypes().get(0));
    }

    /**
     * X- values are TEXT: commas and semicolons escaped. Found end to end: Radicale (vobject) kept only "Vance" of an
     * unescaped "X-MS-FILEAS:Vance, Adele", and "Building 4" of "Building 4, Floor 2".
     */
    @Test
    void extendedTextValuesEscapeCommasAndSemicolonsAndReadBack() {
        String text = toVCard.toText(contact(FULL), KEY, null).replace("\r\n ", "");
        assertTrue(text.contains("X-MS-FILEAS:Müller-Lüdenscheidt\\, Jürgen"), text);
        assertTrue(text.contains("X-MS-OFFICELOCATION:Building 4\\, Room 4.12"), text);
        Contact back = toContact.fromText("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:" + KEY + "\r\nFN:A\r\n"
                + "X-MS-FILEAS:Vance\\, Adele\\; x\\\\y\r\nX-MS-OFFICELOCATION:Building 4, Floor 2\r\nEND:VCARD\r\n").contact();
        assertEquals("Vance, Adele; x\\y", back.getFileAs());
        assertEquals("Building 4, Floor 2", back.getOfficeLocation(), "an unescaped value from an older write reads as before");
    }

    /** RFC 6350 6.2.2 / RFC 2426 3.1.2: N has five components, empty ones written (seen: "N:Bansky;Pavel" and "N:"). */
    @ParameterizedTest
    @EnumSource(value = VCardVersion.class, names = {"V3_0", "V4_0"})
    void nameHasAllFiveComponents(VCardVersion version) {
        String named = new ContactToVCard(version).toText(contact("{\"displayName\": \"Pavel Bansky\", \"givenName\": \"Pavel\", "
                + "\"surname\": \"Bansky\"}"), KEY, null);
        assertTrue(named.contains("\r\nN:Bansky;Pavel;;;\r\n"), named);
        String nameless = new ContactToVCard(version).toText(contact("{\"companyName\": \"Contoso\", \"displayName\": \"Contoso\"}"),
                KEY, null);
        assertTrue(nameless.contains("\r\nN:;;;;\r\n"), nameless);
        String full = new ContactToVCard(version).toText(contact(FULL), KEY, null);
        assertTrue(full.contains("\r\nN:Müller-Lüdenscheidt;Jürgen;Heinrich;Dr.;Jr.\r\n"), full);
    }

    /** Outlook splits a full name typed into one field; so does the vCard when Graph holds only the display name. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Pavel Bansky|Bansky;Pavel;;;",
        "Bansky, Pavel|Bansky;Pavel;;;",
        "Anna Maria  de Vries|Vries;Anna;Maria,de;;",
        "Pavel|;Pavel;;;",
        "pavel@contoso.example|;;;;"})
    void givenAndFamilyNameComeFromTheDisplayNameWhenGraphHasNone(String displayName, String n) {
        String text = toVCard.toText(contact("{\"displayName\": \"" + displayName + "\"}"), KEY, null);
        assertTrue(text.contains("\r\nN:" + n + "\r\n"), text);
        assertTrue(text.contains("\r\nFN:" + displayName.replace(",", "\\,") + "\r\n"), text);
    }

    /** Real Graph: unknown and null values, a date that is not one; a contact that still cannot be written names itself. */
    @Test
    void toleratesWhatRealGraphSendsAndNamesAContactItCannotWrite() {
        Contact odd = contact("{\"id\": \"AAMkODD=\", \"displayName\": \"Odd\", \"emailAddresses\": [null, {\"name\": null, "
                + "\"address\": null}, {\"address\": \"odd@contoso.example\"}], \"businessPhones\": [null, \"+49 1\"],"
                + " \"homeAddress\": null, \"birthday\": null, \"categories\": null, \"children\": [null]}");
        String text = toVCard.toText(odd, KEY, null);
        assertTrue(text.contains("EMAIL;TYPE=internet:odd@contoso.example"), text);
        assertTrue(text.contains("N:;Odd;;;"), text);
        IllegalArgumentException noUid = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> toVCard.toText(odd, " ", null));
        assertTrue(noUid.getMessage().startsWith("contact AAMkODD= (\"Odd\") cannot be mapped: "), noUid.getMessage());
    }
}
