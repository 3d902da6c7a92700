package io.nexchange.api.extension;

/**
 * An {@link ItemTransformer} cannot transform this item. The engine does not write the item this cycle, reports the
 * message as the item's error (with the mailbox, the key and the transformer) and tries again next cycle; the other
 * items of the pair are synced. The message should say what to fix.
 *
 * @since 1.0
 */
public class TransformException extends Exception {
    private static final long serialVersionUID = 1L;

    public TransformException(String message) {
        super(message);
    }

    public TransformException(String message, Throwable cause) {
        super(message, cause);
    }
}
