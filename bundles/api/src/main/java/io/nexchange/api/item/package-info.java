/**
 * Backend-neutral items: a stable {@link io.nexchange.api.item.ItemKey}, a version, and the content as iCalendar or vCard text.
 */
@Export
@Version("1.0.0")
package io.nexchange.api.item;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
