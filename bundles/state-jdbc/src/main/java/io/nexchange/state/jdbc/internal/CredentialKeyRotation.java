package io.nexchange.state.jdbc.internal;

import io.nexchange.state.credentials.CredentialException;

/** Re-encrypting the credential store under a new key while it serves ({@code nexchange:credentials rotate-key}). */
public interface CredentialKeyRotation {
    /** Batches of this many rows, one transaction each, unless the operator says otherwise. */
    int DEFAULT_BATCH = 100;

    /** @param batchSize rows re-encrypted per transaction */
    KeyRotationResult rotateKey(int batchSize) throws CredentialException;
}
