package io.nexchange.sandbox.internal.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;

/**
 * iCalUId values as Exchange makes them: the hex form of a MS-OXOCAL Global Object ID
 * (PidLidGlobalObjectId). The instance date bytes are zero for a master or single item and hold the
 * occurrence's original date for an occurrence or exception, which is why Graph's iCalUId differs per
 * occurrence while the series shares the rest.
 */
public final class GlobalObjectIds {
    private static final byte[] CLASS_ID = {0x04, 0x00, 0x00, 0x00, (byte) 0x82, 0x00, (byte) 0xE0, 0x00,
            0x74, (byte) 0xC5, (byte) 0xB7, 0x10, 0x1A, (byte) 0x82, (byte) 0xE0, 0x08};
    private static final long FILETIME_EPOCH_OFFSET_SECONDS = 11_644_473_600L;

    private GlobalObjectIds() {
    }

    public static String forSeries(Instant created, byte[] itemKey) {
        return build(null, created, itemKey);
    }

    /**
     * Replaces the instance date of a series' id, giving the id of one of its occurrences. A series whose UID was
     * written by a client (EWS CreateItem with UID, an iCalendar import) and is not a Global Object ID in hex is
     * first wrapped the way MS-OXOCAL stores such UIDs: a Global Object ID whose data is "vCal-Uid", 1 and the UID.
     */
    public static String forInstance(String seriesICalUId, LocalDate originalDate) {
        byte[] bytes = isGlobalObjectId(seriesICalUId) ? HexFormat.of().parseHex(seriesICalUId) : vCalUid(seriesICalUId);
        bytes[16] = (byte) (originalDate.getYear() >> 8);
        bytes[17] = (byte) originalDate.getYear();
        bytes[18] = (byte) originalDate.getMonthValue();
        bytes[19] = (byte) originalDate.getDayOfMonth();
        return HexFormat.of().withUpperCase().formatHex(bytes);
    }

    private static boolean isGlobalObjectId(String uid) {
        if (uid.length() < 2 * (CLASS_ID.length + 20) || uid.length() % 2 != 0) {
            return false;
        }
        try {
            byte[] bytes = HexFormat.of().parseHex(uid);
            return java.util.Arrays.equals(java.util.Arrays.copyOf(bytes, CLASS_ID.length), CLASS_ID);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] vCalUid(String uid) {
        byte[] text = uid.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] marker = "vCal-Uid".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int dataLength = marker.length + 4 + text.length + 1;
        ByteBuffer b = ByteBuffer.allocate(16 + 4 + 8 + 8 + 4 + dataLength).order(ByteOrder.LITTLE_ENDIAN);
        b.put(CLASS_ID).putInt(0).putLong(0).putLong(0).putInt(dataLength);
        b.put(marker).putInt(1).put(text).put((byte) 0);
        return b.array();
    }

    private static String build(LocalDate instanceDate, Instant created, byte[] itemKey) {
        ByteBuffer b = ByteBuffer.allocate(16 + 4 + 8 + 8 + 4 + itemKey.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(CLASS_ID);
        if (instanceDate == null) {
            b.putInt(0);
        } else {
            b.put((byte) (instanceDate.getYear() >> 8)).put((byte) instanceDate.getYear())
                    .put((byte) instanceDate.getMonthValue()).put((byte) instanceDate.getDayOfMonth());
        }
        long fileTime = (created.getEpochSecond() + FILETIME_EPOCH_OFFSET_SECONDS) * 10_000_000L + created.getNano() / 100;
        b.putLong(fileTime);
        b.putLong(0);
        b.putInt(itemKey.length);
        b.put(itemKey);
        return HexFormat.of().withUpperCase().formatHex(b.array());
    }
}
