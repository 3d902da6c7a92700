package io.nexchange.nextcloud.internal;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.item.ItemKey;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Deterministic resource names for items: the same key always gives the same name, so a create retried
 * after a crash meets the first attempt ({@code If-None-Match: *} fails) instead of making a duplicate.
 *
 * <p>A key made only of safe characters (letters, digits, {@code - _ .} and {@code @}, not starting with a
 * dot, at most 100 characters) is used as it is, which keeps names readable and lets a removal's key be
 * read back from its name. Any other key (Outlook's long hex UIDs, Graph ids with {@code =}, keys with
 * slashes or spaces) is named {@code x-} plus the SHA-256 of the key in hex; a safe key that itself has
 * that shape is hashed too, so the two kinds of names never collide.
 */
public final class ResourceNames {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@-][A-Za-z0-9._@-]{0,99}");
    private static final String HASHED_PREFIX = "x-";

    private ResourceNames() {}

    /** The file extension of a kind's items. */
    public static String extension(CollectionKind kind) {
        return kind == CollectionKind.CALENDAR ? ".ics" : ".vcf";
    }

    /** The resource name (with extension) of the item with this key. */
    public static String forKey(ItemKey key) {
        String value = key.value();
        String stem = SAFE.matcher(value).matches() && !isHashedName(value) ? value : HASHED_PREFIX + sha256(value);
        return stem + extension(key.kind());
    }

    /**
     * The key an item at this href most likely has, for removals (a deleted resource has no content to
     * read the UID from): the name itself when it is not a hashed one. Callers match removals by ref.
     */
    public static ItemKey keyFromHref(CollectionKind kind, String href) {
        String path = href.endsWith("/") ? href.substring(0, href.length() - 1) : href;
        String name = URLDecoder.decode(path.substring(path.lastIndexOf('/') + 1), StandardCharsets.UTF_8);
        String ext = extension(kind);
        String stem = name.toLowerCase(Locale.ROOT).endsWith(ext) ? name.substring(0, name.length() - ext.length()) : name;
        return new ItemKey(kind, stem.isBlank() ? href : stem);
    }

    /** A collection's path segment for a display name: deterministic and safe. */
    public static String collectionSegment(String displayName) {
        String slug = displayName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (slug.isEmpty() || slug.length() > 60 || !slug.equals(displayName.toLowerCase(Locale.ROOT))) {
            // readable part plus a short hash keeps two names that slug alike ("Work", "work!") apart
            String readable = slug.length() > 40 ? slug.substring(0, 40) : slug;
            return (readable.isEmpty() ? "" : readable + "-") + sha256(displayName).substring(0, 8);
        }
        return slug;
    }

    private static boolean isHashedName(String value) {
        return value.startsWith(HASHED_PREFIX) && value.length() == HASHED_PREFIX.length() + 64
                && value.substring(HASHED_PREFIX.length()).chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }

    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
