/** Helpers for tests that boot an OSGi framework from the class path ({@link io.nexchange.testing.osgi.ClassPathExports}). */
package io.nexchange.testing.osgi;
