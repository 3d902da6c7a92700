/** The ledger of the secrets tests hand out, for the scan of the build's outputs ({@link io.nexchange.testing.secrets.SecretLedger}). */
package io.nexchange.testing.secrets;
