package io.nexchange.graph.calendar.mapping;

/**
 * An item cannot be expressed on the other side (an RRULE Graph has no pattern for, a zone Exchange
 * does not know, a malformed date). The message says what in the item is the cause, for the operator
 * and for the user who wrote it.
 */
public class MappingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MappingException(String message) {
        super(message);
    }

    public MappingException(String message, Throwable cause) {
        super(message, cause);
    }
}
