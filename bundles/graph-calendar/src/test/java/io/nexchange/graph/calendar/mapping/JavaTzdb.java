package io.nexchange.graph.calendar.mapping;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The links (aliases) of the JDK's time-zone database, read from {@code lib/tzdb.dat}: java.time resolves a link
 * such as Asia/Calcutta but keeps its name, and no public API says which names are links. The file format is the
 * one {@code sun.util.calendar.ZoneInfoFile} reads (version 1 since Java 8).
 */
final class JavaTzdb {

    private JavaTzdb() {
    }

    /** Link name to the zone it points at (a canonical zone: tzdb has no links to links). */
    static Map<String, String> links() {
        Path file = Path.of(System.getProperty("java.home"), "lib", "tzdb.dat");
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(raw))) {
            if (in.readByte() != 1 || !"TZDB".equals(in.readUTF())) {
                throw new IllegalStateException(file + " is not a version 1 TZDB file");
            }
            int versions = in.readShort();
            for (int i = 0; i < versions; i++) {
                in.readUTF();
            }
            String[] regions = new String[in.readShort()];
            for (int i = 0; i < regions.length; i++) {
                regions[i] = in.readUTF();
            }
            int rules = in.readShort();
            for (int i = 0; i < rules; i++) {
                in.readFully(new byte[in.readShort()]);
            }
            for (int v = 0; v < versions; v++) {
                int count = in.readShort();
                for (int i = 0; i < count; i++) {
                    in.readShort();
                    in.readShort();
                }
            }
            Map<String, String> links = new TreeMap<>();
            int count = in.readShort();
            for (int i = 0; i < count; i++) {
                links.put(regions[in.readShort()], regions[in.readShort()]);
            }
            return links;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
