/** Test harnesses that start real servers on loopback (Radicale, Nextcloud, PostgreSQL, the runtime). Test scope only. */
package io.nexchange.testing;
