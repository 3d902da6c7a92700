package io.nexchange.api.extension;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told of every write the engine makes and every conflict it resolves, for example to forward them to a SIEM. Every
 * registered sink gets every event, right after the write (or the decision), from the worker thread that made it.
 *
 * <p><b>Threading and blocking.</b> Called concurrently from the engine's worker threads: implementations must be
 * thread-safe, and must not block (a sink that ships events over the network queues them and sends from its own
 * thread). An exception thrown by a sink is logged (once a minute per sink) and never stops or fails the sync; a sink
 * that must not lose events keeps its own durable queue.
 *
 * @since 1.0
 */
@ConsumerType
public interface AuditSink {
    void record(AuditEvent event);
}
