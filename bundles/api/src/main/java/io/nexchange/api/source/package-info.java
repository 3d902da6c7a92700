/**
 * Reading and writing items: {@link io.nexchange.api.source.ItemSource} (changes since a cursor, listing apart from fetching) and {@link io.nexchange.api.source.ItemTarget} (writes with optimistic concurrency), both offered per owner by an {@link io.nexchange.api.source.ItemStore}.
 */
@Export
@Version("2.2.0")
package io.nexchange.api.source;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
