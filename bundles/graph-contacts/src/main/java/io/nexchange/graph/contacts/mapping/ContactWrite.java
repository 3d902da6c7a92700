package io.nexchange.graph.contacts.mapping;

import com.microsoft.graph.models.Contact;
import java.util.Objects;
import java.util.Optional;

/**
 * What a vCard asks of Graph: the POST/PATCH body of the contact (only properties a client may write)
 * and the photo to PUT to {@code /photo/$value}, if the card has one.
 *
 * @param uid the vCard's UID (the contact's ItemKey)
 */
public record ContactWrite(String uid, Contact contact, Optional<ContactPhoto> photo) {
    public ContactWrite {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(contact, "contact");
        Objects.requireNonNull(photo, "photo");
    }
}
