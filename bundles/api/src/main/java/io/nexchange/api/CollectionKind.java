package io.nexchange.api;

/** What a collection holds. Each kind has one canonical interchange format. */
public enum CollectionKind {
    /** Events; items are iCalendar objects ({@code text/calendar}, RFC 5545). */
    CALENDAR("text/calendar"),
    /** Contacts; items are vCards ({@code text/vcard}, RFC 6350). */
    CONTACTS("text/vcard");

    private final String mediaType;

    CollectionKind(String mediaType) {
        this.mediaType = mediaType;
    }

    /** The media type of the items of this kind. */
    public String mediaType() {
        return mediaType;
    }
}
