package io.nexchange.state.credentials;

/**
 * What a CSV import stored.
 *
 * @param added credentials of users that had none
 * @param replaced credentials that replaced a stored one
 */
public record CsvImportResult(int added, int replaced) {
}
