package io.nexchange.graph.calendar.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WindowsZonesTableTest {

    @Test
    void committedTableMatchesCldrAsIcuCarriesIt() throws IOException {
        String committed;
        try (InputStream in = WindowsZones.class.getResourceAsStream(WindowsZones.TABLE_RESOURCE)) {
            committed = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(WindowsZonesTableGenerator.generate(), committed,
            "windows-zones.txt is stale: regenerate it with WindowsZonesTableGenerator");
    }
}
