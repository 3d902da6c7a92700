package io.nexchange.features.internal;

import io.nexchange.features.Feature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Reads feature descriptors ({@code features/*.xml}):
 *
 * <pre>{@code
 * <features>
 *   <feature name="ops" description="Operator surface">
 *     <requires>core</requires>
 *     <bundle>io.nexchange/nexchange-ops/1.0.0</bundle>
 *     <config file="io.nexchange.ops.http.cfg">port = 8181</config>
 *   </feature>
 * </features>
 * }</pre>
 */
final class FeatureRepository {
    private final Map<String, Feature> features;

    private FeatureRepository(Map<String, Feature> features) {
        this.features = features;
    }

    static FeatureRepository load(Path directory) throws IOException {
        Map<String, Feature> features = new TreeMap<>();
        if (!Files.isDirectory(directory)) {
            throw new IOException("feature directory " + directory + " does not exist (setting repository of io.nexchange.features)");
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.xml")) {
            for (Path file : files) {
                for (Feature feature : parse(file)) {
                    Feature previous = features.put(feature.name(), feature);
                    if (previous != null) {
                        throw new IOException("feature '" + feature.name() + "' is defined twice (second time in " + file + ")");
                    }
                }
            }
        }
        for (Feature feature : features.values()) {
            for (String required : feature.requires()) {
                if (!features.containsKey(required)) {
                    throw new IOException("feature '" + feature.name() + "' requires unknown feature '" + required + "'");
                }
            }
        }
        return new FeatureRepository(features);
    }

    static List<Feature> parse(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            Document document = secureBuilder().parse(in, file.toUri().toString());
            List<Feature> result = new ArrayList<>();
            NodeList nodes = document.getDocumentElement().getElementsByTagName("feature");
            for (int i = 0; i < nodes.getLength(); i++) {
                Element element = (Element) nodes.item(i);
                String name = element.getAttribute("name").strip();
                if (name.isEmpty()) {
                    throw new IOException(file + ": a <feature> has no name attribute");
                }
                List<String> requires = texts(element, "requires");
                List<String> bundles = texts(element, "bundle");
                Map<String, String> configs = new LinkedHashMap<>();
                NodeList configNodes = element.getElementsByTagName("config");
                for (int c = 0; c < configNodes.getLength(); c++) {
                    Element config = (Element) configNodes.item(c);
                    String target = config.getAttribute("file").strip();
                    if (!target.matches("[A-Za-z0-9_.~-]+\\.(cfg|config)")) {
                        throw new IOException(file + ": feature '" + name + "' has a <config> whose file attribute '"
                                + target + "' is not a plain pid.cfg / pid.config file name");
                    }
                    configs.put(target, dedent(config.getTextContent()));
                }
                result.add(new Feature(name, element.getAttribute("description"), requires, bundles, configs));
            }
            return result;
        } catch (SAXException | ParserConfigurationException e) {
            throw new IOException(file + " is not a valid feature descriptor: " + e.getMessage(), e);
        }
    }

    private static DocumentBuilder secureBuilder() throws ParserConfigurationException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setExpandEntityReferences(false);
        return factory.newDocumentBuilder();
    }

    private static List<String> texts(Element parent, String tag) {
        List<String> values = new ArrayList<>();
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element && tag.equals(((Element) child).getTagName())) {
                values.add(child.getTextContent().strip());
            }
        }
        return values;
    }

    /** Removes the indentation the XML layout adds to a config body. */
    static String dedent(String text) {
        List<String> lines = new ArrayList<>(text.lines().toList());
        while (!lines.isEmpty() && lines.get(0).isBlank()) {
            lines.remove(0);
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
        }
        return out.toString();
    }

    List<Feature> all() {
        return List.copyOf(features.values());
    }

    Optional<Feature> find(String name) {
        return Optional.ofNullable(features.get(name));
    }
}
