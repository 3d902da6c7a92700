/**
 * An OkHttp {@link okhttp3.Interceptor} that passes every Microsoft Graph request through the throttling policy.
 *
 * <p>Not exported, on purpose: the Graph SDK and its OkHttp are embedded in the Graph client bundle, and an
 * interceptor must be loaded by the same class loader as the OkHttp it plugs into. The Graph client bundle
 * therefore copies this package into itself at build time (bnd
 * {@code -conditionalpackage: io.nexchange.throttling.okhttp} with nexchange-throttling on its build path);
 * the copy imports {@code io.nexchange.throttling} and {@code io.nexchange.throttling.hints} from this bundle
 * like any other consumer. In this bundle the package is never loaded, so its OkHttp imports are optional.
 */
package io.nexchange.throttling.okhttp;
