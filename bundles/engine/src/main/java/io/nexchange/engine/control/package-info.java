/**
 * The engine as operators' tools see it (the web console): the current cycle's progress, each mailbox's last run
 * with its pairs, and "sync now". Read-only views of the engine's own snapshot; a small service so that the console
 * does not need the engine's internals.
 */
@Export
@Version("1.0.0")
package io.nexchange.engine.control;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
