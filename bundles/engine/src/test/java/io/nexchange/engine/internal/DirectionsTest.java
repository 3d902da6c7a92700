package io.nexchange.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.state.Side;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The direction per kind from the engine's configuration: direction.calendar, direction.contacts, direction. */
class DirectionsTest {

    /** The engine's configuration with these attributes (by their property names) and every other at its default. */
    static SyncEngineConfiguration config(Map<String, String> values) {
        return (SyncEngineConfiguration) Proxy.newProxyInstance(SyncEngineConfiguration.class.getClassLoader(),
                new Class<?>[] {SyncEngineConfiguration.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return SyncEngineConfiguration.class;
                    }
                    String property = method.getName().replace('_', '.');
                    return values.containsKey(property) ? values.get(property) : method.getDefaultValue();
                });
    }

    static Direction of(EngineSettings settings, CollectionKind kind) {
        return settings.sync(kind).direction();
    }

    @Test
    void theSingleDirectionIsTheDefaultOfBothKinds() {
        EngineSettings settings = SyncEngine.settings(config(Map.of("direction", "exchange-to-nextcloud")));
        assertEquals(Direction.EXCHANGE_TO_NEXTCLOUD, of(settings, CollectionKind.CALENDAR));
        assertEquals(Direction.EXCHANGE_TO_NEXTCLOUD, of(settings, CollectionKind.CONTACTS));
    }

    @Test
    void theDefaultIsTwoWayForCalendarsAndContacts() {
        EngineSettings defaults = SyncEngine.settings(config(Map.of()));
        assertEquals(Direction.TWO_WAY, of(defaults, CollectionKind.CALENDAR));
        assertEquals(Direction.TWO_WAY, of(defaults, CollectionKind.CONTACTS));
        assertEquals(SyncSettings.defaults().direction(), defaults.sync().direction(), "SyncSettings.defaults() is the same");
    }

    @Test
    void eachKindHasItsOwnDirection() {
        EngineSettings settings = SyncEngine.settings(config(Map.of("direction", "exchange-to-nextcloud",
                "direction.calendar", "two-way", "direction.contacts", " Nextcloud-to-Exchange ")));
        assertEquals(Direction.TWO_WAY, of(settings, CollectionKind.CALENDAR));
        assertEquals(Direction.NEXTCLOUD_TO_EXCHANGE, of(settings, CollectionKind.CONTACTS));
        assertEquals(Direction.EXCHANGE_TO_NEXTCLOUD, settings.sync().direction(), "the pair-independent default stays");
    }

    @Test
    void aWrongDirectionNamesTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SyncEngine.settings(config(Map.of("direction.contacts", "both"))));
        assertEquals("direction.contacts must be exchange-to-nextcloud, nextcloud-to-exchange or two-way, was 'both'",
                e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SyncEngine.settings(config(Map.of("direction", "up"))))
                .getMessage().startsWith("direction must be"));
    }

    @Test
    void aOneWayDirectionWritesOnlyItsTargetAndItsSourceWinsConflicts() {
        assertTrue(Direction.NEXTCLOUD_TO_EXCHANGE.writes(Side.EXCHANGE));
        assertTrue(!Direction.NEXTCLOUD_TO_EXCHANGE.writes(Side.NEXTCLOUD));
        assertEquals(Side.NEXTCLOUD, Direction.NEXTCLOUD_TO_EXCHANGE.source());
        assertEquals(Side.EXCHANGE, Direction.EXCHANGE_TO_NEXTCLOUD.source());
        assertEquals("nextcloud-to-exchange", Direction.NEXTCLOUD_TO_EXCHANGE.label());
    }
}
