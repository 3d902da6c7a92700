package io.nexchange.nextcloud.internal;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.item.ItemContent;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.item.ItemVersion;
import io.nexchange.api.source.ItemTarget;
import io.nexchange.api.source.ItemRejectedException;
import io.nexchange.api.source.PreconditionFailedException;
import io.nexchange.api.source.StoreException;
import io.nexchange.nextcloud.internal.dav.DavHttpException;
import io.nexchange.nextcloud.internal.dav.DavResponse;
import io.nexchange.nextcloud.internal.dav.DavXml;
import io.nexchange.nextcloud.internal.dav.RawXmlReport;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes into one DAV collection with preconditions: {@code If-None-Match: *} on create (at a name derived
 * from the key), {@code If-Match} on update and delete. The ETag comes from the PUT answer; when the
 * server sends none (sabre/dav does so when it changed the body while storing it) it is read back with
 * PROPFIND. A PUT that Nextcloud refuses with 500 because the UID sits in its calendar trash bin (the user
 * deleted the event there) purges the trashed copy and is sent once more.
 */
final class DavItemTarget implements ItemTarget {
    private static final Logger LOG = LoggerFactory.getLogger(DavItemTarget.class);
    private final AccountSession session;
    private final CollectionRef collection;

    DavItemTarget(AccountSession session, CollectionRef collection) {
        this.session = session;
        this.collection = collection;
    }

    @Override
    public ItemVersion create(ItemKey key, ItemContent content) throws StoreException {
        checkKind(key);
        String ref = collection.id() + ResourceNames.forKey(key);
        return put(key, ref, content, Map.of("If-None-Match", "*"), "creating " + key + " at " + ref);
    }

    @Override
    public ItemVersion update(ItemKey key, String ref, String expectedVersion, ItemContent content) throws StoreException {
        checkKind(key);
        return put(key, ref, content, Map.of("If-Match", entityTag(expectedVersion)), "updating " + key + " at " + ref);
    }

    private ItemVersion put(ItemKey key, String ref, ItemContent content, Map<String, String> conditions, String what) throws StoreException {
        try {
            return putOnce(key, ref, content, conditions, what);
        } catch (StoreException e) {
            // Nextcloud keeps a deleted event in its calendar trash bin, and a PUT of its UID into the same calendar then
            // fails with 500 (a UNIQUE constraint of its database) on every try: purge the trashed copy, write again
            if (e.getCause() instanceof DavHttpException http && http.status() == 500 && collection.kind() == CollectionKind.CALENDAR
                    && purgeTrashedCopies(key)) {
                return putOnce(key, ref, content, conditions, what);
            }
            throw e;
        }
    }

    /**
     * Deletes for good the copies of {@code key} that Nextcloud's calendar trash bin holds for this calendar (found
     * with a calendar-query REPORT on {@code <calendar home>/trashbin/objects/}, matched by calendar-uri and UID).
     *
     * @return whether any was purged; false also where the server has no such trash bin
     */
    private boolean purgeTrashedCopies(ItemKey key) throws StoreException {
        Optional<String> home = session.homes().calendarHome();
        if (home.isEmpty()) {
            return false;
        }
        String trash = (home.get().endsWith("/") ? home.get() : home.get() + "/") + "trashbin/objects/";
        List<DavResponse> trashed;
        try {
            trashed = session.call("looking for " + key + " in the calendar trash bin " + trash, dav -> DavResponse.all(
                    dav.report(session.url(trash), "1", new RawXmlReport(DavXml.calendarQuery("nc:calendar-uri", "c:calendar-data")))));
        } catch (StoreException e) {
            if (e.getCause() instanceof DavHttpException) {
                return false; // no Nextcloud trash bin here: the 500 was something else
            }
            throw e;
        }
        String calendarUri = lastSegment(collection.id());
        boolean purged = false;
        for (DavResponse copy : trashed) {
            boolean sameCalendar = copy.text(DavXml.CALENDAR_URI).map(String::strip).filter(calendarUri::equals).isPresent();
            boolean sameUid = copy.text(DavXml.CALENDAR_DATA)
                    .flatMap(text -> ItemKeys.fromContent(CollectionKind.CALENDAR, text.replaceAll("\r\n|\r|\n", "\r\n")))
                    .filter(key::equals).isPresent();
            if (sameCalendar && sameUid) {
                session.call("purging the trashed copy of " + key + " at " + copy.href(), dav -> {
                    dav.delete(session.url(copy.href()), Map.of());
                    return null;
                });
                LOG.info("{}: {} was deleted in Nextcloud and sat in its trash bin ({}), which blocks writing its UID into {}; "
                        + "the trashed copy was purged and the item written again", session.account(), key, copy.href(), collection.id());
                purged = true;
            }
        }
        return purged;
    }

    private static String lastSegment(String collectionHref) {
        String path = collectionHref.endsWith("/") ? collectionHref.substring(0, collectionHref.length() - 1) : collectionHref;
        return java.net.URLDecoder.decode(path.substring(path.lastIndexOf('/') + 1), StandardCharsets.UTF_8);
    }

    private ItemVersion putOnce(ItemKey key, String ref, ItemContent content, Map<String, String> conditions, String what) throws StoreException {
        byte[] body = content.text().getBytes(StandardCharsets.UTF_8);
        String contentType = collection.kind().mediaType() + "; charset=utf-8";
        Optional<String> etag;
        try {
            etag = session.call(what, dav -> dav.put(session.url(ref), body, contentType, conditions));
        } catch (StoreException e) {
            if (e.getCause() instanceof DavHttpException http) {
                if (http.status() == 412) {
                    throw new PreconditionFailedException(conditions.containsKey("If-None-Match")
                            ? "An item with key " + key + " already exists at " + ref + " (account " + session.account() + ")"
                            : "The item " + key + " at " + ref + " changed on the server since version " + conditions.get("If-Match")
                                    + " (account " + session.account() + ")");
                }
                if (http.status() == 404 && conditions.containsKey("If-Match")) {
                    throw new PreconditionFailedException("The item " + key + " at " + ref + " is gone from the server (account " + session.account() + ")");
                }
                // RFC 4791 no-uid-conflict (Radicale: 409); Nextcloud answers 400 "Calendar object with uid already exists"
                if ((http.status() == 403 || http.status() == 409) && http.namesPrecondition("no-uid-conflict")
                        || http.status() == 400 && http.body().contains("uid already exists")) {
                    throw new PreconditionFailedException("Another resource in " + collection.id() + " already holds UID " + key.value()
                            + " (CalDAV no-uid-conflict, account " + session.account() + ")");
                }
                if (refusesContent(http)) {
                    throw new ItemRejectedException("The DAV server refused the content of " + key + " at " + ref + " (account "
                            + session.account() + "): " + e.getMessage(), e);
                }
            }
            throw e;
        }
        if (etag.isPresent()) {
            return new ItemVersion(ref, etag.get());
        }
        return version(ref).orElseThrow(() -> new StoreException("The DAV server stored " + ref + " but cannot find it right after", true));
    }

    /** CalDAV/CardDAV preconditions on the data of a PUT (RFC 4791 5.3.2.1, RFC 6352 6.3.2.1): the item's, not the account's. */
    private static final List<String> CONTENT_PRECONDITIONS = List.of("valid-calendar-data", "valid-calendar-object-resource",
            "supported-calendar-component", "supported-calendar-data", "valid-address-data", "supported-address-data",
            "max-resource-size", "min-date-time", "max-date-time", "max-instances", "max-attendees-per-instance");

    /**
     * Whether the server refused this item's content, which the same content would meet again: 400 (Radicale: not
     * iCalendar), 415 (sabre: not valid iCalendar/vCard), 422, or a 403 naming a precondition on the data. A 403
     * without one is the account's rights on the collection, not the item's.
     */
    static boolean refusesContent(DavHttpException http) {
        int status = http.status();
        return status == 400 || status == 415 || status == 422
                || status == 403 && CONTENT_PRECONDITIONS.stream().anyMatch(http::namesPrecondition);
    }

    @Override
    public void delete(ItemKey key, String ref, String expectedVersion) throws StoreException {
        try {
            session.call("deleting " + key + " at " + ref, dav -> {
                dav.delete(session.url(ref), Map.of("If-Match", entityTag(expectedVersion)));
                return null;
            });
        } catch (StoreException e) {
            if (e.getCause() instanceof DavHttpException http) {
                if (http.status() == 404) {
                    return; // already gone: what the caller wanted
                }
                if (http.status() == 412 && version(ref).isEmpty()) {
                    return; // If-Match on a resource that is gone: sabre/dav answers 412 where Radicale answers 404
                }
                if (http.status() == 412) {
                    throw new PreconditionFailedException("The item " + key + " at " + ref + " changed on the server since version "
                            + expectedVersion + "; not deleted (account " + session.account() + ")");
                }
            }
            throw e;
        }
    }

    @Override
    public Optional<ItemVersion> version(String ref) throws StoreException {
        List<DavResponse> answer;
        try {
            answer = session.call("reading the version of " + ref, dav -> dav.propfind(session.url(ref), "0", DavXml.propfind("d:getetag")));
        } catch (StoreException e) {
            if (e.getCause() instanceof DavHttpException http && http.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
        return answer.stream().filter(r -> r.status() != 404).findFirst().map(r -> new ItemVersion(ref, r.etag().orElse("")));
    }

    private void checkKind(ItemKey key) {
        if (key.kind() != collection.kind()) {
            throw new IllegalArgumentException(key + " does not belong in the " + collection.kind() + " collection " + collection.id());
        }
    }

    /** Versions are kept as the server sent them (quoted); a bare or empty one is made a valid If-Match value. */
    static String entityTag(String version) {
        String v = version == null ? "" : version.strip();
        if (v.isEmpty()) {
            return "*"; // the caller knows no version: require only that the item still exists
        }
        if (v.startsWith("\"") || v.startsWith("W/\"")) {
            return v;
        }
        return "\"" + v + "\"";
    }
}
