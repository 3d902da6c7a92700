package io.nexchange.sandbox;

/** How Graph answers a delta request whose token is no longer known (all three occur in practice). */
public enum DeadTokenMode {
    /** 410 Gone with a Location header holding a fresh initial delta URL. */
    GONE_410,
    /** 400 with error code syncStateNotFound. */
    BAD_REQUEST_400,
    /** 404 with error code syncStateNotFound. */
    NOT_FOUND_404
}
