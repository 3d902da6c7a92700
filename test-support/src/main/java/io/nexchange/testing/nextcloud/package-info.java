/** A real Nextcloud server for tests, from the kit in {@code ../shared/nextcloud}: {@link io.nexchange.testing.nextcloud.NextcloudServer}. */
package io.nexchange.testing.nextcloud;
