package io.nexchange.features.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.features.Feature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureRepositoryTest {
    @TempDir
    Path dir;

    @Test
    void readsBundlesRequirementsAndDedentedConfig() throws Exception {
        Files.writeString(dir.resolve("a.xml"), """
                <features>
                  <feature name="core" description="the core">
                    <bundle>io.nexchange/nexchange-api/1.0.0</bundle>
                  </feature>
                  <feature name="ops" description="operator surface">
                    <requires>core</requires>
                    <bundle>io.nexchange/nexchange-ops/1.0.0</bundle>
                    <config file="io.nexchange.ops.http.cfg">
                      # a comment
                      port = 8181
                    </config>
                  </feature>
                </features>
                """);
        FeatureRepository repository = FeatureRepository.load(dir);
        Feature ops = repository.find("ops").orElseThrow();
        assertEquals(List.of("core"), ops.requires());
        assertEquals(List.of("io.nexchange/nexchange-ops/1.0.0"), ops.bundles());
        assertEquals(Map.of("io.nexchange.ops.http.cfg", "# a comment\nport = 8181\n"), ops.configs());
        assertEquals(2, repository.all().size());
    }

    @Test
    void unknownRequirementIsReportedWithBothNames() throws Exception {
        Files.writeString(dir.resolve("a.xml"), "<features><feature name=\"graph\"><requires>auth</requires></feature></features>");
        IOException error = assertThrows(IOException.class, () -> FeatureRepository.load(dir));
        assertTrue(error.getMessage().contains("'graph' requires unknown feature 'auth'"), error.getMessage());
    }

    @Test
    void featureDefinedTwiceIsAnError() throws Exception {
        Files.writeString(dir.resolve("a.xml"), "<features><feature name=\"x\"/></features>");
        Files.writeString(dir.resolve("b.xml"), "<features><feature name=\"x\"/></features>");
        IOException error = assertThrows(IOException.class, () -> FeatureRepository.load(dir));
        assertTrue(error.getMessage().contains("'x' is defined twice"), error.getMessage());
    }

    @Test
    void configFileNameMustNotEscapeEtc() throws Exception {
        Files.writeString(dir.resolve("a.xml"), "<features><feature name=\"x\"><config file=\"../evil.cfg\">a=b</config></feature></features>");
        IOException error = assertThrows(IOException.class, () -> FeatureRepository.load(dir));
        assertTrue(error.getMessage().contains("not a plain pid.cfg"), error.getMessage());
    }

    @Test
    void doctypeIsRefused() throws Exception {
        Files.writeString(dir.resolve("a.xml"), "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><features><feature name=\"x\" description=\"&e;\"/></features>");
        assertThrows(IOException.class, () -> FeatureRepository.load(dir));
    }
}
