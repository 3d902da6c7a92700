/** A real Radicale CalDAV/CardDAV server for tests: {@link io.nexchange.testing.radicale.RadicaleServer}. */
package io.nexchange.testing.radicale;
