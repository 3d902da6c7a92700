/** What the real DAV servers for tests have in common: {@link io.nexchange.testing.dav.DavTestServer}. */
package io.nexchange.testing.dav;
