/**
 * The engine as operators' tools see it (the web console): the current cycle's progress, each mailbox's last run
 * with its pairs, and "sync now"; since 1.1 the EWS/Graph migration (waves, routes, switches, shadow reads), a backend
 * switch and a shadow read. Read-only views of the engine's own snapshot; a small service so that the console
 * does not need the engine's internals.
 */
@Export
@Version("1.1.0")
package io.nexchange.engine.control;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
