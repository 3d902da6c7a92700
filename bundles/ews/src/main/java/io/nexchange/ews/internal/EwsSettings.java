package io.nexchange.ews.internal;

import java.time.Duration;
import java.time.ZoneId;

/**
 * @param serverVersion the RequestServerVersion sent with every request
 * @param pageSize MaxChangesReturned of SyncFolderItems (1-512)
 * @param getItemBatch items per GetItem request
 * @param daysBack start of the calendar window, days before today (as the Graph calendar store)
 * @param daysAhead end of the calendar window, days after today
 * @param mailboxZone the zone of floating times and all-day events written to Exchange
 * @param maxResponseBytes the largest answer read; a larger one fails the call
 * @param maxElements the most elements an answer may hold
 * @param readTimeout how long one request may take
 * @param throttleMaxWait how long a request waits for its throttling permit
 */
record EwsSettings(String serverVersion, int pageSize, int getItemBatch, int daysBack, int daysAhead, ZoneId mailboxZone,
        int maxResponseBytes, int maxElements, Duration readTimeout, Duration throttleMaxWait) {
    EwsSettings {
        if (pageSize < 1 || pageSize > 512) {
            throw new IllegalArgumentException("pageSize must be between 1 and 512 (EWS's MaxChangesReturned limit)");
        }
        if (getItemBatch < 1 || getItemBatch > 500) {
            throw new IllegalArgumentException("getItemBatch must be between 1 and 500");
        }
        if (daysBack < 0 || daysAhead < 1) {
            throw new IllegalArgumentException("windowDaysBack must be >= 0 and windowDaysAhead >= 1");
        }
        if (maxResponseBytes < 65_536) {
            throw new IllegalArgumentException("maxResponseBytes must be at least 65536");
        }
    }

    static EwsSettings defaults() {
        return new EwsSettings("Exchange2013_SP1", 200, 50, 30, 365, ZoneId.of("UTC"), 64 * 1024 * 1024, 2_000_000,
                Duration.ofSeconds(100), Duration.ofSeconds(30));
    }

    EwsSettings withPageSize(int size) {
        return new EwsSettings(serverVersion, size, getItemBatch, daysBack, daysAhead, mailboxZone, maxResponseBytes, maxElements,
                readTimeout, throttleMaxWait);
    }

    EwsSettings withGetItemBatch(int batch) {
        return new EwsSettings(serverVersion, pageSize, batch, daysBack, daysAhead, mailboxZone, maxResponseBytes, maxElements,
                readTimeout, throttleMaxWait);
    }

    EwsSettings withZone(ZoneId zone) {
        return new EwsSettings(serverVersion, pageSize, getItemBatch, daysBack, daysAhead, zone, maxResponseBytes, maxElements,
                readTimeout, throttleMaxWait);
    }

    EwsSettings withMaxResponseBytes(int bytes) {
        return new EwsSettings(serverVersion, pageSize, getItemBatch, daysBack, daysAhead, mailboxZone, bytes, maxElements,
                readTimeout, throttleMaxWait);
    }
}
