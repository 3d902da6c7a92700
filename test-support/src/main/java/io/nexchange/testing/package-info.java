/** Test harnesses that start real servers on loopback (Radicale, PostgreSQL, the runtime). Test scope only. */
package io.nexchange.testing;
