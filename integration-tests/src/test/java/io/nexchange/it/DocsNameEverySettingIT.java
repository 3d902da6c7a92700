package io.nexchange.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.testing.runtime.RuntimeProcess;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The operator docs name everything an operator can configure or type: every metatype PID (and factory PID) of the
 * Nexchange bundles in the distribution is in docs/configuration.md, every Gogo command (osgi.command.scope +
 * osgi.command.function of a DS component) in docs/operations.md. Read from the built jars (OSGI-INF/metatype/*.xml,
 * OSGI-INF/*.xml), so a new @ObjectClassDefinition or command without docs fails the build.
 */
class DocsNameEverySettingIT {

    @Test
    void everyPidIsInTheConfigurationReferenceAndEveryCommandInTheOperationsGuide() throws Exception {
        Set<String> pids = new TreeSet<>();
        Set<String> commands = new TreeSet<>();
        for (Path jar : nexchangeJars()) {
            try (JarFile file = new JarFile(jar.toFile())) {
                for (JarEntry entry : (Iterable<JarEntry>) file.stream()::iterator) {
                    String name = entry.getName();
                    if (name.startsWith("OSGI-INF/metatype/") && name.endsWith(".xml")) {
                        for (Element designate : elements(parse(file, entry), "Designate")) {
                            String pid = designate.hasAttribute("factoryPid") ? designate.getAttribute("factoryPid") : designate.getAttribute("pid");
                            pids.add(pid);
                        }
                    } else if (name.matches("OSGI-INF/[^/]+\\.xml")) {
                        commands.addAll(commandsOf(parse(file, entry)));
                    }
                }
            }
        }
        // the check must not pass on an empty harvest (a changed jar layout)
        assertTrue(pids.size() >= 15 && pids.contains("io.nexchange.engine"), "PIDs found: " + pids);
        assertTrue(commands.size() >= 8 && commands.contains("nexchange:sync"), "commands found: " + commands);

        Path docs = RuntimeProcess.distribution().resolve("../../../docs").normalize();
        String configuration = Files.readString(docs.resolve("configuration.md"));
        String operations = Files.readString(docs.resolve("operations.md"));
        List<String> missing = new ArrayList<>();
        for (String pid : pids) {
            // as code: `pid`, `pid.cfg` or `pid-<name>.cfg`
            if (!Pattern.compile("`" + Pattern.quote(pid) + "(`|\\.cfg`|-)").matcher(configuration).find()) {
                missing.add("PID " + pid + " is not in docs/configuration.md (as `" + pid + "` or `" + pid + ".cfg`)");
            }
        }
        for (String command : commands) {
            if (!Pattern.compile("`" + Pattern.quote(command) + "[` ]").matcher(operations).find()) {
                missing.add("console command " + command + " is not in docs/operations.md (as `" + command + " ...`)");
            }
        }
        System.out.printf("[figures] %d PIDs and %d console commands checked against the docs%n", pids.size(), commands.size());
        assertTrue(missing.isEmpty(), String.join("\n", missing));
    }

    /** scope:function of a DS component that declares Gogo command properties. */
    private static List<String> commandsOf(Document component) {
        String scope = null;
        List<String> functions = new ArrayList<>();
        for (Element property : elements(component, "property")) {
            List<String> values = new ArrayList<>();
            if (property.hasAttribute("value")) {
                values.add(property.getAttribute("value"));
            } else {
                for (String line : property.getTextContent().split("\n")) {
                    if (!line.isBlank()) {
                        values.add(line.strip());
                    }
                }
            }
            if ("osgi.command.scope".equals(property.getAttribute("name")) && !values.isEmpty()) {
                scope = values.get(0);
            } else if ("osgi.command.function".equals(property.getAttribute("name"))) {
                functions.addAll(values);
            }
        }
        String prefix = scope == null ? "" : scope + ":";
        return functions.stream().map(f -> prefix + f).toList();
    }

    private static List<Element> elements(Document document, String localName) {
        NodeList nodes = document.getElementsByTagNameNS("*", localName);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add((Element) nodes.item(i));
        }
        return out;
    }

    private static Document parse(JarFile file, JarEntry entry) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        try (InputStream in = file.getInputStream(entry)) {
            return factory.newDocumentBuilder().parse(in);
        }
    }

    /** The Nexchange bundles of the distribution. */
    private static List<Path> nexchangeJars() throws Exception {
        Path system = RuntimeProcess.distribution().resolve("system/io/nexchange");
        try (Stream<Path> files = Files.walk(system)) {
            List<Path> jars = files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
            assertTrue(jars.size() >= 10, "found only " + jars);
            return jars;
        }
    }
}
