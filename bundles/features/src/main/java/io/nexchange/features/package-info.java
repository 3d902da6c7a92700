/** Features of the runtime: what is available, what is installed, and installing or removing one live. */
@Export
@Version("1.0.0")
package io.nexchange.features;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
