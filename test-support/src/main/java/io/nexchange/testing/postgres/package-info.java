/** A throwaway PostgreSQL server for tests: the Debian binaries, a temp data dir, 127.0.0.1 and a free port. */
package io.nexchange.testing.postgres;
