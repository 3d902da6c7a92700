package io.nexchange.graph.contacts.mapping;

import java.util.Arrays;
import java.util.Objects;

/**
 * A contact's photo: the bytes of {@code /contacts/{id}/photo/$value} and the media type Graph gives in
 * the photo's {@code @odata.mediaContentType} (or the response's Content-Type).
 */
public record ContactPhoto(byte[] bytes, String mediaType) {

    public ContactPhoto {
        Objects.requireNonNull(bytes, "bytes");
        mediaType = mediaType == null || mediaType.isBlank() ? "image/jpeg" : mediaType.trim().toLowerCase(java.util.Locale.ROOT);
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ContactPhoto photo && photo.mediaType.equals(mediaType) && Arrays.equals(photo.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return 31 * mediaType.hashCode() + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return mediaType + " (" + bytes.length + " bytes)";
    }
}
