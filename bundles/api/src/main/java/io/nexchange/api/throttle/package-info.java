/**
 * The throttling policy every outbound Microsoft call passes through.
 */
@Export
@Version("1.0.0")
package io.nexchange.api.throttle;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
