/**
 * The sandbox (Microsoft 365 emulator): {@link io.nexchange.sandbox.SandboxServer} with its options,
 * app registrations, fault rules and request counters, for tests and the demo.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package io.nexchange.sandbox;
