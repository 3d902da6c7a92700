package io.nexchange.sandbox.internal.store;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * Item ids as Exchange issues them: one binary id, which EWS writes as standard base64 and Graph REST
 * as the same base64 with '/' and '+' replaced by '-' and '_' (what translateExchangeIds converts).
 * The binary layout imitates an Exchange store id (it starts with 00 03 24 00, so ids read "AAMkA…");
 * an occurrence id is its master's id followed by the occurrence's original start, so occurrence ids
 * need no table and decode back to (master, original start).
 */
public final class ItemIds {
    private static final byte[] PREFIX = {0x00, 0x03, 0x24, 0x00};
    private static final byte OCCURRENCE_MARK = 0x07;
    private static final byte[] PHOTO_MARK = {0x12, 'P', 'H', 0x01};
    /** prefix + 16 bytes mailbox key + 1 kind byte + 16 bytes item key */
    static final int BASE_LENGTH = PREFIX.length + 16 + 1 + 16;

    public enum Kind { CALENDAR_FOLDER, CONTACT_FOLDER, EVENT, CONTACT }

    private ItemIds() {
    }

    public static String newId(byte[] mailboxKey, Kind kind, byte[] itemKey) {
        ByteBuffer b = ByteBuffer.allocate(BASE_LENGTH);
        b.put(PREFIX).put(mailboxKey, 0, 16).put((byte) (0x40 + kind.ordinal())).put(itemKey, 0, 16);
        return toRest(b.array());
    }

    public static String occurrenceId(String masterRestId, Instant originalStart) {
        byte[] master = fromRest(masterRestId);
        ByteBuffer b = ByteBuffer.allocate(master.length + 9);
        b.put(master).put(OCCURRENCE_MARK).putLong(originalStart.getEpochSecond());
        return toRest(b.array());
    }

    /** The (master id, original start) an occurrence id stands for, or empty for any other id. */
    public static Optional<Occurrence> parseOccurrence(String restId) {
        byte[] bytes;
        try {
            bytes = fromRest(restId);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (bytes.length != BASE_LENGTH + 9 || bytes[BASE_LENGTH] != OCCURRENCE_MARK) {
            return Optional.empty();
        }
        long seconds = ByteBuffer.wrap(bytes, BASE_LENGTH + 1, 8).getLong();
        return Optional.of(new Occurrence(toRest(Arrays.copyOf(bytes, BASE_LENGTH)), Instant.ofEpochSecond(seconds)));
    }

    /** The AttachmentId (EWS encoding) of a contact's photo: the contact's id bytes followed by a mark. */
    public static String photoAttachmentId(String contactRestId) {
        byte[] contact = fromRest(contactRestId);
        byte[] id = Arrays.copyOf(contact, contact.length + PHOTO_MARK.length);
        System.arraycopy(PHOTO_MARK, 0, id, contact.length, PHOTO_MARK.length);
        return Base64.getEncoder().encodeToString(id);
    }

    /** The contact (REST id) whose photo an AttachmentId names, or empty for any other id. */
    public static Optional<String> contactOfPhotoAttachment(String attachmentId) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(attachmentId);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (bytes.length != BASE_LENGTH + PHOTO_MARK.length
                || !Arrays.equals(Arrays.copyOfRange(bytes, BASE_LENGTH, bytes.length), PHOTO_MARK)) {
            return Optional.empty();
        }
        return Optional.of(toRest(Arrays.copyOf(bytes, BASE_LENGTH)));
    }

    public static String toRest(byte[] id) {
        return Base64.getEncoder().encodeToString(id).replace('/', '-').replace('+', '_');
    }

    public static byte[] fromRest(String restId) {
        return Base64.getDecoder().decode(restToEws(restId));
    }

    /** The EWS (standard base64) form of a Graph REST id: the same bytes. */
    public static String restToEws(String restId) {
        return restId.replace('-', '/').replace('_', '+');
    }

    public static String ewsToRest(String ewsId) {
        return ewsId.replace('/', '-').replace('+', '_');
    }

    public record Occurrence(String masterId, Instant originalStart) {
    }
}
