package io.nexchange.features;

import java.util.List;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The features of this runtime. Installing a feature installs and starts its bundles (and those of the
 * features it requires) in the running framework, without a restart; uninstalling removes the bundles no
 * other installed feature needs. The set of installed features survives restarts.
 */
@ProviderType
public interface FeatureService {

    /** Every feature the runtime knows (from features/*.xml), by name. */
    List<Feature> available();

    /** Names of the installed features. */
    Set<String> installed();

    /**
     * Why features that should be installed are not: boot features still being installed, or failures with
     * the reason. Empty when every wanted feature is installed.
     */
    List<String> problems();

    /**
     * Installs a feature with the features it requires.
     *
     * @throws FeatureException naming the feature or bundle that failed; what was installed by this call is rolled back
     */
    void install(String name) throws FeatureException;

    /**
     * Uninstalls a feature: its bundles that no other installed feature lists are stopped and uninstalled.
     *
     * @throws FeatureException if it is not installed or another installed feature requires it
     */
    void uninstall(String name) throws FeatureException;
}
