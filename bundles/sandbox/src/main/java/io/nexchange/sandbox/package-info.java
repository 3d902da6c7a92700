/**
 * The sandbox (Microsoft 365 emulator): {@link io.nexchange.sandbox.SandboxServer} with its options,
 * app registrations, fault rules and request counters, for tests and the demo. Not exported: inside the framework
 * only the sandbox's own component uses it (the demo configures it through Configuration Admin); tests, benchmarks
 * and the sandbox's own process ({@code --users N --seed S --port P}) use it from the class path. So it is a test
 * tool with no versioned contract and nothing to baseline.
 */
package io.nexchange.sandbox;
