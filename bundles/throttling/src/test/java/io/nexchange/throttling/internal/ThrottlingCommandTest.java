package io.nexchange.throttling.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.throttle.ThrottleKey;
import io.nexchange.throttling.KeyStats;
import io.nexchange.throttling.RegistrationStats;
import io.nexchange.throttling.ThrottleStats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThrottlingCommandTest {
    @Test
    void showsTotalsAndWhoIsThrottledNow() {
        ThrottleStats stats = new ThrottleStats(Instant.EPOCH, new ThrottleStats.LimitsView(4, 10000, 9900, 600),
                List.of(new RegistrationStats("contoso", 120, 3, 7, Duration.ofSeconds(2), 5, 1, 1)),
                List.of(new KeyStats(new ThrottleKey("contoso", "alice@contoso.com"), 0, 12, 9900, Duration.ofMillis(2128),
                        Duration.ofMillis(2128), 0, 12, 3, 7, Duration.ZERO)));
        String text = ThrottlingCommand.render(stats);
        assertTrue(text.contains("4 concurrent, 9900 of 10000 requests per 600 s"), text);
        assertTrue(text.contains("contoso") && text.contains("120"), text);
        assertTrue(text.contains("contoso / alice@contoso.com: next request in 2.1 s"), text);
    }
}
