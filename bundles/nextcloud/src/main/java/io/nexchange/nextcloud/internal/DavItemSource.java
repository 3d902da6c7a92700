package io.nexchange.nextcloud.internal;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.item.Item;
import io.nexchange.api.item.ItemContent;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.source.Change;
import io.nexchange.api.source.ChangePage;
import io.nexchange.api.source.Cursor;
import io.nexchange.api.source.CursorExpiredException;
import io.nexchange.api.source.ItemSource;
import io.nexchange.api.source.StoreException;
import io.nexchange.nextcloud.internal.dav.DavClient;
import io.nexchange.nextcloud.internal.dav.DavHttpException;
import io.nexchange.nextcloud.internal.dav.DavResponse;
import io.nexchange.nextcloud.internal.dav.DavXml;
import io.nexchange.nextcloud.internal.dav.RawXmlReport;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes of one DAV collection, listing apart from fetching: a listing hands out (href, ETag) only, and
 * {@link #fetch} multigets the hrefs the engine asks for (those whose ETag differs from what it synced).
 *
 * <ul>
 *   <li>From {@link Cursor#INITIAL} (and on servers without sync-tokens): a listing round, one PROPFIND of the
 *       members (href + getetag, Depth 1) in one {@code complete} page. The collection's sync-token is captured in
 *       the same answer, so what changes meanwhile is reported by the next round.
 *   <li>From a sync cursor: RFC 6578 sync-collection (sync-level 1, {@code <d:limit>}); members with
 *       status 404 are removals, a 507 on the collection itself means truncated ({@code hasMore}), the
 *       new sync-token is the next cursor. A 403 {@code valid-sync-token} becomes
 *       {@link CursorExpiredException}, and so does a sabre/dav token answered with a lower one (the server
 *       forgot it). Calendar 404s are checked with the multiget: Nextcloud reports an event deleted and
 *       re-created between two syncs as 404.
 *   <li>A sync cursor whose last full listing is older than {@code fullListingEvery}: a listing round instead. A server
 *       may forget changes behind a token it still accepts (Nextcloud prunes its change log and then answers an old
 *       token with 207, no changes and its current token); the engine compares the listing by ETag, fetches only what
 *       differs and takes what is missing as removed, so the missed changes are caught up and nothing is uploaded again.
 * </ul>
 *
 * <p>Listed items are keyed by a guess from the resource name; the engine goes by href for items it knows and by the
 * fetched item's UID otherwise.
 */
final class DavItemSource implements ItemSource {
    private static final Logger LOG = LoggerFactory.getLogger(DavItemSource.class);
    private static final Pattern LINE_BREAK = Pattern.compile("\r\n|\r|\n");

    private final AccountSession session;
    private final CollectionRef collection;
    private final CollectionKind kind;
    private final Clock clock;

    DavItemSource(AccountSession session, CollectionRef collection, Clock clock) {
        this.session = session;
        this.collection = collection;
        this.kind = collection.kind();
        this.clock = clock;
    }

    @Override
    public ChangePage changes(Cursor cursor) throws StoreException {
        SyncCursor position = SyncCursor.parse(cursor);
        try {
            return switch (position.type()) {
                // a listing cursor (mid-round, from an earlier version) is never stored now: a listing is one page
                // the first listing of a collection the home listing showed small asks for the content along
                case INITIAL -> listPage(session.takeSmallHint(collection.id()));
                case FULL, LIST -> listPage(false);
                case SYNC -> fullListingDue(position) ? listPage(false) : syncPage(position);
            };
        } catch (StoreException e) {
            if (e.getCause() instanceof DavHttpException http && (http.status() == 404 || http.status() == 403)
                    && DavItemStore.samePath(http.url(), collection.id())) {
                session.forgetCollection(collection.id()); // deleted or taken away: ensureCollection looks again
            }
            throw e;
        }
    }

    /**
     * One PROPFIND of the members; with {@code withContent}, their calendar-data / address-data along (sabre/dav serves
     * them as properties): the members that came with content need no multiget. A server that does not serve them leaves
     * the members listed without content; an answer over the bound or a failed one is asked again without.
     */
    private ChangePage listPage(boolean withContent) throws StoreException {
        List<DavResponse> answer = null;
        if (withContent) {
            String data = kind == CollectionKind.CALENDAR ? "c:calendar-data" : "card:address-data";
            try {
                answer = session.call("listing " + collection.id() + " with its content",
                        dav -> dav.propfind(session.url(collection.id()), "1", DavXml.propfind("d:resourcetype", "d:getetag", "d:sync-token", data)));
            } catch (io.nexchange.api.source.CredentialsRejectedException | io.nexchange.api.source.ServerThrottledException e) {
                throw e;
            } catch (StoreException e) {
                // over the answer bound, or the server failed to render that much (PHP's memory limit): the plain
                // listing asks for far less; if the collection itself is the problem, it fails the same way
                LOG.debug("{}: the listing with content failed ({}); listing without", collection.id(), e.getMessage());
            }
        }
        if (answer == null) {
            answer = session.call("listing " + collection.id(),
                    dav -> dav.propfind(session.url(collection.id()), "1", DavXml.propfind("d:resourcetype", "d:getetag", "d:sync-token")));
        }
        String token = null;
        for (DavResponse response : answer) {
            if (DavItemStore.samePath(response.href(), collection.id()) && token == null) {
                token = response.text(DavXml.SYNC_TOKEN).map(String::strip).orElse("");
            }
        }
        if (token == null) {
            token = "";
        }
        Map<String, DavResponse> withData = new java.util.HashMap<>();
        for (DavResponse response : answer) {
            if (response.text(kind == CollectionKind.CALENDAR ? DavXml.CALENDAR_DATA : DavXml.ADDRESS_DATA).isPresent()) {
                withData.put(response.href(), response);
            }
        }
        List<Change> changes = new ArrayList<>();
        for (Map.Entry<String, String> member : etags(answer).entrySet()) {
            DavResponse content = withData.get(member.getKey());
            Optional<Change> read = content == null ? Optional.empty() : toChange(content);
            changes.add(read.orElseGet(() -> Change.listed(ResourceNames.keyFromHref(kind, member.getKey()), member.getKey(), member.getValue())));
        }
        return new ChangePage(changes, token.isEmpty() ? SyncCursor.full() : SyncCursor.sync(token, now()), false, true);
    }

    /** The number of changes a sabre/dav collection had (its numeric sync-token counts them, from 1), if the token is one. */
    static Optional<Long> changeCount(String token) {
        Matcher m = SABRE_TOKEN.matcher(token.strip());
        if (!m.matches() || m.group(1).length() > 15) {
            return Optional.empty();
        }
        return Optional.of(Math.max(0, Long.parseLong(m.group(1)) - 1));
    }

    /** The members' ETags by href, in href order. */
    private Map<String, String> etags(List<DavResponse> answer) {
        Map<String, String> etags = new TreeMap<>();
        for (DavResponse response : answer) {
            if (!DavItemStore.samePath(response.href(), collection.id()) && !response.isCollection()) {
                response.etag().ifPresent(etag -> etags.put(response.href(), etag));
            }
        }
        return etags;
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    /** Whether the periodic full listing is due; a cursor from before listings were timed gets its time now instead. */
    private boolean fullListingDue(SyncCursor position) {
        Duration every = session.settings().fullListingEvery();
        if (every.isZero() || position.listedAt() == SyncCursor.NEVER_RECORDED) {
            return false;
        }
        long age = now() - position.listedAt();
        if (age >= every.toSeconds()) {
            LOG.debug("{} (account {}): last full listing {} h ago; listing it again and comparing ETags", collection.id(),
                    session.account(), age / 3600);
            return true;
        }
        return false;
    }

    private ChangePage syncPage(SyncCursor position) throws StoreException {
        String token = position.token();
        DavClient.SyncAnswer answer;
        try {
            answer = session.call("reading changes of " + collection.id(),
                    dav -> dav.syncCollection(session.url(collection.id()), token, session.settings().syncLimit()));
        } catch (StoreException e) {
            if (e.getCause() instanceof DavHttpException http && http.status() == 403 && http.namesPrecondition("valid-sync-token")) {
                throw new CursorExpiredException("The sync-token of " + collection.id() + " (account " + session.account()
                        + ") is no longer valid on the server (HTTP 403 valid-sync-token, e.g. pruned after a long pause); the collection is read again in full");
            }
            throw e;
        }
        if (answer.syncToken().isEmpty()) {
            throw new StoreException("The DAV server answered sync-collection on " + collection.id() + " without a new sync-token", true);
        }
        if (forgotten(token, answer.syncToken())) {
            // sabre/dav answers an unknown numeric token (a reinstalled or restored server) with an empty change list and
            // its current, lower, token: changes would be missed silently
            throw new CursorExpiredException("The server answered the sync-token " + token + " of " + collection.id() + " (account "
                    + session.account() + ") with the older " + answer.syncToken() + ": it no longer knows the token (restored or "
                    + "reinstalled?); the collection is read again in full and matched by ETag");
        }
        boolean truncated = false;
        List<Change> changes = new ArrayList<>();
        List<String> reportedGone = new ArrayList<>();
        for (DavResponse response : answer.responses()) {
            if (DavItemStore.samePath(response.href(), collection.id())) {
                truncated |= response.status() == 507;
            } else if (response.status() == 404 && kind == CollectionKind.CALENDAR) {
                // Nextcloud reports an event deleted and re-created (or restored from its trash bin) between two syncs
                // as 404 although it exists: the multiget tells, and still answers 404 for a real removal
                reportedGone.add(response.href());
            } else if (response.status() == 404) {
                changes.add(Change.removal(ResourceNames.keyFromHref(kind, response.href()), response.href()));
            } else if (response.etag().isPresent() && !response.isCollection()) {
                changes.add(Change.listed(ResourceNames.keyFromHref(kind, response.href()), response.href(),
                        response.etag().get()));
            }
        }
        List<Change> checked = fetch(reportedGone);
        changes.addAll(checked); // what still exists comes with its content: a rare case, fetched right away
        for (String href : reportedGone) {
            // sabre/dav leaves an href that does not exist out of the multiget answer: then it really is gone
            if (checked.stream().noneMatch(c -> DavItemStore.samePath(c.ref(), href))) {
                changes.add(Change.removal(ResourceNames.keyFromHref(kind, href), href));
            }
        }
        long listedAt = position.listedAt() == SyncCursor.NEVER_RECORDED ? now() : position.listedAt();
        return new ChangePage(changes, SyncCursor.sync(answer.syncToken(), listedAt), truncated, false);
    }

    private static final Pattern SABRE_TOKEN = Pattern.compile("http://sabre\\.io/ns/sync/(\\d+)");

    /** Whether a sabre/dav server answered a numeric token with a lower one: it did not know the token. */
    static boolean forgotten(String sent, String answered) {
        Matcher before = SABRE_TOKEN.matcher(sent.strip());
        Matcher after = SABRE_TOKEN.matcher(answered.strip());
        if (!before.matches() || !after.matches()) {
            return false;
        }
        try {
            return Long.parseLong(after.group(1)) < Long.parseLong(before.group(1));
        } catch (NumberFormatException tooLong) {
            return false;
        }
    }

    /**
     * Multigets the hrefs in batches of {@code multigetBatchSize}; an href that is gone by now (404) becomes a removal. A
     * batch whose answer is refused (over {@code maxAnswerMegabytes}, or not well-formed: invalid UTF-8 or a broken item
     * inside) is asked again in halves, down to the one item it is about, which is then unreadable (quarantined): one
     * hostile item never keeps the rest of the collection from syncing.
     */
    @Override
    public List<Change> fetch(List<String> hrefs) throws StoreException {
        List<Change> changes = new ArrayList<>(hrefs.size());
        int batchSize = session.settings().multigetBatchSize();
        for (int from = 0; from < hrefs.size(); from += batchSize) {
            fetchBatch(hrefs.subList(from, Math.min(hrefs.size(), from + batchSize)), changes);
        }
        return changes;
    }

    private void fetchBatch(List<String> batch, List<Change> changes) throws StoreException {
        String body = DavXml.multiget(kind == CollectionKind.CALENDAR, batch);
        List<DavResponse> answer;
        try {
            answer = session.call("fetching " + batch.size() + " items of " + collection.id(),
                    dav -> DavResponse.all(dav.report(session.url(collection.id()), "1", new RawXmlReport(body))));
        } catch (StoreException e) {
            if (!(e.getCause() instanceof DavHttpException http && http.answerRefused())) {
                throw e;
            }
            if (batch.size() > 1) {
                LOG.debug("{}: the answer for {} items was refused ({}); asking again in halves", collection.id(), batch.size(), http.reason());
                fetchBatch(batch.subList(0, batch.size() / 2), changes);
                fetchBatch(batch.subList(batch.size() / 2, batch.size()), changes);
            } else {
                unreadableAnswer(batch.get(0), http.reason()).ifPresent(changes::add);
            }
            return;
        }
        for (DavResponse response : answer) {
            toChange(response).ifPresent(changes::add);
        }
    }

    /** The one item whose multiget answer was refused: unreadable in its current ETag (read apart), or gone meanwhile. */
    private Optional<Change> unreadableAnswer(String href, String why) throws StoreException {
        List<DavResponse> head = session.call("reading the ETag of " + href,
                dav -> dav.propfind(session.url(href), "0", DavXml.propfind("d:getetag")));
        Optional<String> etag = head.stream().filter(r -> DavItemStore.samePath(r.href(), href)).findFirst().flatMap(DavResponse::etag);
        if (etag.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Change.unreadable(ResourceNames.keyFromHref(kind, href), href, etag.get(), "",
                "the DAV server's answer for this item cannot be taken: " + why + ". Fix or remove the item in Nextcloud"));
    }

    private Optional<Change> toChange(DavResponse response) {
        if (response.status() == 404) {
            return Optional.of(Change.removal(ResourceNames.keyFromHref(kind, response.href()), response.href()));
        }
        Optional<String> data = response.text(kind == CollectionKind.CALENDAR ? DavXml.CALENDAR_DATA : DavXml.ADDRESS_DATA);
        if (data.isEmpty() || response.etag().isEmpty()) {
            LOG.warn("{} answered no {} for {}; skipped", collection.id(), kind == CollectionKind.CALENDAR ? "calendar-data" : "address-data", response.href());
            return Optional.empty();
        }
        // XML parsing turns CRLF into LF; iCalendar and vCard want CRLF back
        String text = LINE_BREAK.matcher(data.get()).replaceAll("\r\n");
        Optional<ItemKey> key = ItemKeys.fromContent(kind, text);
        if (key.isEmpty()) {
            // keyed by its name, it would come back from the other side under the UID that side gives it: a second copy
            return Optional.of(Change.unreadable(ResourceNames.keyFromHref(kind, response.href()), response.href(),
                    response.etag().get(), summaryOf(text), kind == CollectionKind.CALENDAR
                            ? "it has no UID, which every iCalendar event needs (RFC 5545, 3.8.4.7); add one in Nextcloud"
                            : "it has no UID, which the connector needs to match the contact (RFC 6350, 6.7.6); add one in Nextcloud"));
        }
        return Optional.of(Change.upsert(new Item(key.get(), response.href(), response.etag().get(), new ItemContent(kind.mediaType(), text))));
    }

    private static final Pattern SUMMARY = Pattern.compile("(?m)^(?:SUMMARY|FN)(?:;[^:\r\n]*)?:(.{0,80})");

    /** What a person knows the item by: its SUMMARY or FN, shortened (empty if none). */
    private static String summaryOf(String text) {
        Matcher m = SUMMARY.matcher(text);
        return m.find() ? m.group(1).strip() : "";
    }
}
