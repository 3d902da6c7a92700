package io.nexchange.graph.contacts.mapping;

/**
 * The extended vCard properties used for Graph contact fields that have no standard vCard property.
 * X-MS-* follow what Outlook writes in its own vCard export where it has such a property; the phonetic
 * names are Apple's, which iOS, macOS and DAVx5 show.
 */
final class ContactVCardFields {
    static final String MANAGER = "X-MS-MANAGER";
    static final String ASSISTANT = "X-MS-ASSISTANT";
    static final String SPOUSE = "X-MS-SPOUSE";
    static final String CHILD = "X-MS-CHILD";
    static final String FILE_AS = "X-MS-FILEAS";
    static final String INITIALS = "X-MS-INITIALS";
    static final String OFFICE_LOCATION = "X-MS-OFFICELOCATION";
    /** Graph's IM address exactly as stored (IMPP needs a URI, so bare addresses gain "sip:" there). */
    static final String IM_ADDRESS = "X-MS-IMADDRESS";
    static final String YOMI_GIVEN_NAME = "X-PHONETIC-FIRST-NAME";
    static final String YOMI_SURNAME = "X-PHONETIC-LAST-NAME";
    static final String YOMI_COMPANY = "X-PHONETIC-ORG";
    /** The display name Graph keeps with an e-mail address, as a parameter of EMAIL. */
    static final String EMAIL_NAME_PARAM = "X-NAME";
    /** Graph's otherAddress: vCard has no "other" address type. */
    static final String OTHER_TYPE = "other";

    private ContactVCardFields() {
    }
}
