package io.nexchange.testing.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassPathExportsTest {
    @Test
    void clausesKeepPackageAndVersionAndIgnoreQuotedCommasAndDirectives() {
        assertEquals(List.of("io.nexchange.api;version=1.0.0", "io.nexchange.api.source;version=2.2.0",
                "a.b;version=3.1.0", "a.c;version=3.1.0", "x.y;version=0.0.0"),
                ClassPathExports.versioned("io.nexchange.api;version=\"1.0.0\",io.nexchange.api.source;uses:=\"io.nexchange.api,"
                        + "io.nexchange.api.item\";version=\"2.2.0\",a.b;a.c;version=3.1.0;mandatory:=\"x\",x.y"));
    }
}
