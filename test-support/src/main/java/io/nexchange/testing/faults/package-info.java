/** A fault-injecting proxy on loopback ({@link io.nexchange.testing.faults.FaultProxy}) for the reliability tests. */
package io.nexchange.testing.faults;
