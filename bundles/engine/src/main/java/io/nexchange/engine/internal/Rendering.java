package io.nexchange.engine.internal;

import io.nexchange.api.extension.ItemContext;
import io.nexchange.api.extension.ItemTransformer;
import io.nexchange.api.extension.TransformException;
import io.nexchange.api.item.ItemContent;
import io.nexchange.api.state.Side;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The chain of {@link ItemTransformer}s for writes of one kind to one side, as it stood when a pair run began, and its
 * fingerprint (empty for no transformer). The engine stores the fingerprint with the cursor of the side the items come
 * from ({@link BackendCursor}), and re-renders a pair's items when it changes.
 */
final class Rendering {
    static final Rendering NONE = new Rendering(List.of());

    /** What a transformer chain made of one item: the content to write, or none (the item does not travel). */
    record Result(Optional<ItemContent> content, String hash) {
        static Result of(ItemContent content) {
            return new Result(Optional.of(content), ContentHash.of(content));
        }

        static final Result DROPPED = new Result(Optional.empty(), "dropped");

        boolean dropped() {
            return content.isEmpty();
        }
    }

    private final List<ItemTransformer> chain;
    private final String fingerprint;

    /** @param chain in the order they apply */
    Rendering(List<ItemTransformer> chain) {
        this.chain = List.copyOf(chain);
        this.fingerprint = chain.isEmpty() ? "" : fingerprintOf(chain);
    }

    /** Empty when no transformer applies; else a short hash of every transformer's class and fingerprint, in order. */
    String fingerprint() {
        return fingerprint;
    }

    boolean isEmpty() {
        return chain.isEmpty();
    }

    /**
     * Runs the chain over one item.
     *
     * @throws ExtensionFailure if a transformer refused the item, failed, or changed its identity (UID or media type)
     */
    Result render(ItemContext item, Side target, ItemContent content) {
        if (chain.isEmpty()) {
            return Result.of(content);
        }
        List<String> uids = uidLines(content.text());
        ItemContent current = content;
        for (ItemTransformer transformer : chain) {
            String who = transformer.getClass().getName();
            Optional<ItemContent> out;
            try {
                out = Objects.requireNonNull(transformer.transform(item, target, current), "returned null");
            } catch (TransformException e) {
                throw new ExtensionFailure("transformer " + who + " refused " + item.key() + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                throw new ExtensionFailure("transformer " + who + " failed on " + item.key() + ": " + e, e);
            }
            if (out.isEmpty()) {
                return Result.DROPPED;
            }
            ItemContent next = out.get();
            if (!next.mediaType().equals(content.mediaType())) {
                throw new ExtensionFailure("transformer " + who + " changed the media type of " + item.key() + " from "
                        + content.mediaType() + " to " + next.mediaType() + "; a transformer changes content, never "
                        + "identity: not written", null);
            }
            if (!uidLines(next.text()).equals(uids)) {
                throw new ExtensionFailure("transformer " + who + " changed the UID of " + item.key() + " (" + uids
                        + " became " + uidLines(next.text()) + "); a transformer changes content, never identity: "
                        + "not written", null);
            }
            current = next;
        }
        return Result.of(current);
    }

    /** The UID properties of an iCalendar or vCard text, unfolded, in order (the values the key is made of). */
    static List<String> uidLines(String text) {
        List<String> uids = new ArrayList<>();
        for (String line : text.replace("\r\n ", "").replace("\r\n\t", "").replace("\n ", "").replace("\n\t", "")
                .split("\r?\n")) {
            String upper = line.toUpperCase(Locale.ROOT);
            if (upper.startsWith("UID:") || upper.startsWith("UID;")) {
                uids.add(line.substring(line.indexOf(':') + 1).strip());
            }
        }
        return uids;
    }

    private static String fingerprintOf(List<ItemTransformer> chain) {
        StringBuilder all = new StringBuilder();
        for (ItemTransformer t : chain) {
            String own;
            try {
                own = t.fingerprint();
            } catch (RuntimeException e) {
                own = "fingerprint failed: " + e; // still a stable text while it keeps failing
            }
            all.append(t.getClass().getName()).append('=').append(own).append('\n');
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(all.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
