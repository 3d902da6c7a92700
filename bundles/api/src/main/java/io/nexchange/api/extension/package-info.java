/**
 * Extension points for an enterprise's own bundles, applied by the engine to every pair it syncs: item transformers
 * (rewrite or drop an item on its way to one side: redact private events, drop categories, add a prefix), conflict
 * resolvers (who wins when an item changed on both sides), and audit sinks (told of every write and every conflict).
 * The account and mailbox directories ({@link io.nexchange.api.directory}) are extension points too.
 *
 * <p>An extension is an OSGi service of one of these types, registered by a bundle dropped into {@code deploy/}; the
 * engine picks it up on its next cycle and lets go of it when the bundle goes, without a restart. The order in which
 * the engine applies them is documented in the engine's README and in {@code docs/extending.md}.
 */
@Export
@Version("1.0.0")
package io.nexchange.api.extension;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
