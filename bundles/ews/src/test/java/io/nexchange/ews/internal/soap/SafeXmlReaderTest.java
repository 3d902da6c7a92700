package io.nexchange.ews.internal.soap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

public class SafeXmlReaderTest {
    public static final String BILLION_LAUGHS = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
             <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
             <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
            <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><m:Subject xmlns:m="x">&lol4;</m:Subject></s:Body></s:Envelope>
            """;
    public static final String XXE = """
            <?xml version="1.0"?>
            <!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
            <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>&xxe;</s:Body></s:Envelope>
            """;

    private final SafeXmlReader reader = new SafeXmlReader(1000);

    @Test
    void readsNamespacedElementsAttributesAndText() throws Exception {
        XmlElement root = reader.read("""
                <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:t="urn:t"><s:Body>
                <t:Item Id="a&amp;b"><t:Subject>Tom &lt;&amp;&gt; Jerry</t:Subject><t:Empty/></t:Item></s:Body></s:Envelope>
                """.getBytes(StandardCharsets.UTF_8));
        XmlElement item = root.child("Body").orElseThrow().child("Item").orElseThrow();
        assertEquals("urn:t", item.namespace());
        assertEquals("a&b", item.attribute("Id"));
        assertEquals("Tom <&> Jerry", item.childText("Subject"));
        assertEquals("", item.childText("Empty"));
        assertTrue(root.find("Subject").isPresent());
    }

    @Test
    void refusesDtdsEntityExpansionAndExternalEntities() {
        for (String hostile : new String[] {BILLION_LAUGHS, XXE}) {
            SafeXmlReader.XmlException e = assertThrows(SafeXmlReader.XmlException.class,
                    () -> reader.read(hostile.getBytes(StandardCharsets.UTF_8)));
            assertTrue(e.getMessage().contains("DOCTYPE"), e.getMessage());
        }
    }

    @Test
    void boundsDepthAndElementCount() {
        String deep = "<a>".repeat(SafeXmlReader.MAX_DEPTH + 1) + "</a>".repeat(SafeXmlReader.MAX_DEPTH + 1);
        assertTrue(assertThrows(SafeXmlReader.XmlException.class, () -> reader.read(deep.getBytes(StandardCharsets.UTF_8)))
                .getMessage().contains("deeper"));
        String wide = "<a>" + "<b/>".repeat(1001) + "</a>";
        assertTrue(assertThrows(SafeXmlReader.XmlException.class, () -> reader.read(wide.getBytes(StandardCharsets.UTF_8)))
                .getMessage().contains("more than 1000 elements"));
        assertThrows(SafeXmlReader.XmlException.class, () -> reader.read("<a><b></a>".getBytes(StandardCharsets.UTF_8)));
    }
}
