package io.nexchange.nextcloud.internal;

import java.net.URI;
import java.time.Duration;
import io.nexchange.nextcloud.internal.dav.DavClient;
import java.util.Objects;

/**
 * How the store talks to the DAV server.
 *
 * @param baseUrl where discovery starts: Nextcloud's {@code https://host/remote.php/dav/}, Radicale's root
 * @param connectTimeout TCP connect (and connection pool) timeout
 * @param readTimeout socket read timeout of one request
 * @param multigetBatchSize hrefs per calendar-multiget / addressbook-multiget
 * @param syncLimit changes per page: {@code <d:nresults>} of sync-collection (a listing is one PROPFIND, one page)
 * @param maxConnections concurrent connections per account
 * @param fullListingEvery how often a collection read through sync-tokens is listed in full anyway and compared by
 *     ETag (zero: never): a server that forgot changes behind a token it still accepts (Nextcloud prunes its change
 *     log and then answers an old token with no changes) is caught up without uploading anything again
 * @param maxAnswerBytes the most of one multistatus answer read into memory (see {@link DavClient}): a larger listing
 *     fails the pair with a message naming the setting; a larger multiget is asked again in parts, and an item whose own
 *     answer is larger is quarantined
 */
public record DavSettings(URI baseUrl, Duration connectTimeout, Duration readTimeout, int multigetBatchSize, int syncLimit, int maxConnections,
        Duration fullListingEvery, long maxAnswerBytes) {
    /** The default of {@link #fullListingEvery}. */
    public static final Duration DAILY = Duration.ofHours(24);

    public DavSettings(URI baseUrl, Duration connectTimeout, Duration readTimeout, int multigetBatchSize, int syncLimit, int maxConnections) {
        this(baseUrl, connectTimeout, readTimeout, multigetBatchSize, syncLimit, maxConnections, DAILY);
    }

    public DavSettings(URI baseUrl, Duration connectTimeout, Duration readTimeout, int multigetBatchSize, int syncLimit, int maxConnections,
            Duration fullListingEvery) {
        this(baseUrl, connectTimeout, readTimeout, multigetBatchSize, syncLimit, maxConnections, fullListingEvery,
                DavClient.DEFAULT_MAX_ANSWER_BYTES);
    }

    public DavSettings {
        Objects.requireNonNull(fullListingEvery, "fullListingEvery");
        if (fullListingEvery.isNegative()) {
            throw new IllegalArgumentException("fullListingHours must be 0 (never) or more");
        }
        Objects.requireNonNull(baseUrl, "baseUrl");
        if (baseUrl.getScheme() == null || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("baseUrl must be an absolute http(s) URL, not '" + baseUrl + "'");
        }
        if (!baseUrl.getPath().endsWith("/")) {
            // relative resolution of hrefs needs the trailing slash
            baseUrl = URI.create(baseUrl + "/");
        }
        if (maxAnswerBytes < 64 * 1024) {
            throw new IllegalArgumentException("maxAnswerMegabytes must be at least 1");
        }
        if (multigetBatchSize < 1 || syncLimit < 1 || maxConnections < 1) {
            throw new IllegalArgumentException("multigetBatchSize, syncLimit and maxConnections must be at least 1");
        }
    }

    /** Defaults for tests and the demo. */
    public static DavSettings defaults(URI baseUrl) {
        return new DavSettings(baseUrl, Duration.ofSeconds(10), Duration.ofSeconds(60), 100, 500, 4);
    }

    public DavSettings withSyncLimit(int limit) {
        return new DavSettings(baseUrl, connectTimeout, readTimeout, multigetBatchSize, limit, maxConnections, fullListingEvery, maxAnswerBytes);
    }

    public DavSettings withMultigetBatchSize(int size) {
        return new DavSettings(baseUrl, connectTimeout, readTimeout, size, syncLimit, maxConnections, fullListingEvery, maxAnswerBytes);
    }

    public DavSettings withFullListingEvery(Duration every) {
        return new DavSettings(baseUrl, connectTimeout, readTimeout, multigetBatchSize, syncLimit, maxConnections, every, maxAnswerBytes);
    }

    public DavSettings withMaxAnswerBytes(long bytes) {
        return new DavSettings(baseUrl, connectTimeout, readTimeout, multigetBatchSize, syncLimit, maxConnections, fullListingEvery, bytes);
    }
}
