package io.nexchange.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemPackages;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import io.nexchange.features.FeatureService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * The Nexchange bundles inside a Felix framework (Pax Exam native container): every bundle resolves and
 * starts, every Declarative Services component activates, the feature service installs features from the
 * distribution, and the metrics registry is offered to other bundles.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class InFrameworkIT {
    @Inject
    BundleContext context;

    @Inject
    FeatureService features;

    @Inject
    ServiceComponentRuntime scr;

    @Configuration
    public Option[] config() throws Exception {
        Path dist = Path.of(System.getProperty("nexchange.dist")).toAbsolutePath().normalize();
        Path base = Files.createTempDirectory("nexchange-inframework");
        String version = System.getProperty("project.version", "1.0.0-SNAPSHOT");
        return options(
                systemProperty("org.ops4j.pax.url.mvn.localRepository").value(System.getProperty("maven.repo.local")),
                // Pax Exam's own bundles come from the local repository, else from Maven Central
                systemProperty("org.ops4j.pax.url.mvn.repositories").value("https://repo1.maven.org/maven2@id=central"),
                frameworkProperty("nexchange.home").value(dist.toString()),
                frameworkProperty("nexchange.base").value(base.toString()),
                // added to what Pax Exam exports itself (setting the framework property would replace that)
                systemPackages("com.sun.net.httpserver;version=1.0.0", "com.sun.management"),
                mavenBundle("org.slf4j", "slf4j-api", "1.7.36"),
                mavenBundle("org.slf4j", "slf4j-simple", "1.7.36").noStart(),
                mavenBundle("org.osgi", "org.osgi.util.function", "1.2.0"),
                mavenBundle("org.osgi", "org.osgi.util.promise", "1.3.0"),
                mavenBundle("org.osgi", "org.osgi.service.component", "1.5.1"),
                mavenBundle("org.apache.felix", "org.apache.felix.configadmin", "1.9.26"),
                mavenBundle("org.apache.felix", "org.apache.felix.scr", "2.2.12"),
                mavenBundle("org.apache.felix", "org.apache.felix.gogo.runtime", "1.1.6"),
                mavenBundle("io.micrometer", "micrometer-commons", "1.14.2"),
                mavenBundle("io.micrometer", "micrometer-observation", "1.14.2"),
                mavenBundle("io.micrometer", "micrometer-core", "1.14.2"),
                mavenBundle("com.fasterxml.jackson.core", "jackson-annotations", "2.18.2"),
                mavenBundle("com.fasterxml.jackson.core", "jackson-core", "2.18.2"),
                mavenBundle("com.fasterxml.jackson.core", "jackson-databind", "2.18.2"),
                // the ops bundle's servlets need the Servlet API; they wait as Whiteboard services for an HTTP runtime
                mavenBundle("org.apache.felix", "org.apache.felix.http.servlet-api", "3.0.0"),
                bundle(dist.resolve("system/io/nexchange/nexchange-api/" + version + "/nexchange-api-" + version + ".jar").toUri().toString()),
                bundle(dist.resolve("system/io/nexchange/nexchange-features/" + version + "/nexchange-features-" + version + ".jar").toUri().toString()),
                bundle(dist.resolve("system/io/nexchange/nexchange-ops/" + version + "/nexchange-ops-" + version + ".jar").toUri().toString()),
                junitBundles());
    }

    @Test
    public void everyNexchangeBundleIsActive() {
        for (String name : new String[] {"io.nexchange.api", "io.nexchange.features", "io.nexchange.ops"}) {
            Bundle bundle = find(name);
            assertNotNull(name + " is installed", bundle);
            assertEquals(name + " is active", Bundle.ACTIVE, bundle.getState());
        }
    }

    @Test
    public void everyComponentOfNexchangeIsSatisfied() throws Exception {
        int checked = 0;
        long deadline = System.currentTimeMillis() + 10_000;
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            if (!description.bundle.symbolicName.startsWith("io.nexchange.")) {
                continue;
            }
            Collection<ComponentConfigurationDTO> configurations = scr.getComponentConfigurationDTOs(description);
            // SATISFIED: a delayed service component, activated when first used
            while (configurations.stream().anyMatch(c -> c.state < ComponentConfigurationDTO.SATISFIED)
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
                configurations = scr.getComponentConfigurationDTOs(description);
            }
            for (ComponentConfigurationDTO configuration : configurations) {
                assertTrue(description.name + " is in state " + configuration.state + " " + configuration.failure,
                        configuration.state == ComponentConfigurationDTO.ACTIVE || configuration.state == ComponentConfigurationDTO.SATISFIED);
                checked++;
            }
        }
        assertTrue("found the components of features and ops, got " + checked, checked >= 5);
    }

    @Test
    public void featureServiceReadsTheDistributionsFeatures() throws Exception {
        assertTrue(features.available().stream().anyMatch(f -> f.name().equals("core")));
        assertTrue(features.available().stream().anyMatch(f -> f.name().equals("ops")));
    }

    @Test
    public void metricsRegistryIsOfferedToOtherBundles() {
        ServiceReference<?>[] references = null;
        try {
            references = context.getAllServiceReferences("io.micrometer.core.instrument.MeterRegistry", null);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertNotNull("a MeterRegistry service is registered", references);
        assertEquals("prometheus", references[0].getProperty("nexchange.registry"));
    }

    private Bundle find(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        return null;
    }
}
