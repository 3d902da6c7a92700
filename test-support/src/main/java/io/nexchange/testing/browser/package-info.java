/** Headless Chromium (Debian's package) driven over the Chrome DevTools Protocol, for browser tests of the web console. */
package io.nexchange.testing.browser;
