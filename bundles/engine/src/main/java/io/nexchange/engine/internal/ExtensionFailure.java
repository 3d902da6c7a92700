package io.nexchange.engine.internal;

/**
 * An extension (a transformer or a conflict resolver) refused or failed one item: the item is not written this
 * cycle and the message, naming the extension and the item, becomes the item's error. Unchecked because it crosses
 * {@link ConflictPolicy#winner}.
 */
final class ExtensionFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ExtensionFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
