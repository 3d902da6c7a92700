package io.nexchange.state.credentials;

/**
 * What a CSV import stored.
 *
 * @param added credentials of users that had none
 * @param replaced credentials that replaced a stored one with another login or app password
 * @param unchanged lines equal to what was already stored (left as they were, their time of update included)
 */
public record CsvImportResult(int added, int replaced, int unchanged) {

    /** @deprecated since 1.1, kept for callers built against 1.0: {@code unchanged} is 0. */
    @Deprecated
    public CsvImportResult(int added, int replaced) {
        this(added, replaced, 0);
    }
}
