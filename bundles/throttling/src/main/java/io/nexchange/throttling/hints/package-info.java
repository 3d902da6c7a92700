/**
 * Reading the servers' throttling hints: HTTP {@code Retry-After} (delta-seconds with decimals, comma
 * lists, the three HTTP-date formats), EWS {@code BackOffMilliseconds} and the largest inner
 * {@code Retry-After} of a Graph {@code $batch} response. Pure functions, no state.
 */
@Export
@Version("1.0.0")
package io.nexchange.throttling.hints;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
