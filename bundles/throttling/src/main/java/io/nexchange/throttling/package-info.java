/**
 * What the engine, the Microsoft clients and the operator surface use beyond the SPI's
 * {@link io.nexchange.api.throttle.ThrottlePolicy}: weighted permits for {@code $batch}
 * ({@link io.nexchange.throttling.WeightedThrottlePolicy}), a snapshot of who is throttled
 * ({@link io.nexchange.throttling.ThrottleMonitor}), stable mailbox-to-registration assignment
 * ({@link io.nexchange.throttling.RegistrationAssignment}) and a ready queue that lets a worker pool
 * serve admissible mailboxes instead of sleeping on throttled ones ({@link io.nexchange.throttling.ReadyQueue}).
 */
@Export
@Version("1.0.0")
package io.nexchange.throttling;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
