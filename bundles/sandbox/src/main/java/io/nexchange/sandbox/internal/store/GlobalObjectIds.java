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

    /** Replaces the instance date of a series' id, giving the id of one of its occurrences. */
    public static String forInstance(String seriesICalUId, LocalDate originalDate) {
        byte[] bytes = HexFormat.of().parseHex(seriesICalUId);
        bytes[16] = (byte) (originalDate.getYear() >> 8);
        bytes[17] = (byte) originalDate.getYear();
        bytes[18] = (byte) originalDate.getMonthValue();
        bytes[19] = (byte) originalDate.getDayOfMonth();
        return HexFormat.of().withUpperCase().formatHex(bytes);
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
