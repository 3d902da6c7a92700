package io.nexchange.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.item.ItemKey;
import io.nexchange.api.source.Cursor;
import io.nexchange.api.state.QuarantinedItem;
import io.nexchange.api.state.Side;
import io.nexchange.api.state.StatusUpdate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuarantineCommandsTest {
    final MemoryStateStore state = new MemoryStateStore();
    final QuarantineCommands commands = new QuarantineCommands(state);

    @Test
    void listsAndRetries() throws Exception {
        Instant at = Instant.parse("2026-12-07T07:00:00Z");
        state.commit(PairSyncTest.PAIR, new StatusUpdate().cursor(Side.EXCHANGE, new Cursor("graph|S0:4"))
                .quarantine(new QuarantinedItem(PairSyncTest.PAIR, Side.EXCHANGE, "AAMk-1", ItemKey.event("uid-1"), "ck-1",
                        "Board meeting", "Graph answered 400", at, at, 1, true)));
        String list = commands.quarantine("list");
        assertTrue(list.startsWith("1 item quarantined in 1 mailbox\nalice@example.org: 1 quarantined\n"), list);
        assertTrue(list.contains("calendar Exchange AAMk-1 'Board meeting' key uid-1 version ck-1, since 2026-12-07T07:00:00Z,"
                + " 1 attempt: Graph answered 400"), list);
        assertEquals("0 items quarantined\n", commands.quarantine("list", "bob@example.org"));
        Map<String, Object> data = QuarantineSection.data(state.quarantined());
        assertEquals(1L, data.get("count"));
        assertTrue(data.toString().contains("subject=Board meeting"), data.toString());

        assertTrue(commands.quarantine("retry", "alice@example.org", "nope").startsWith("nothing quarantined"));
        String retry = commands.quarantine("retry", "alice@example.org", "AAMk-1");
        assertTrue(retry.startsWith("released calendar Exchange AAMk-1"), retry);
        assertEquals(List.of(), state.quarantined());
        assertEquals(Cursor.INITIAL, state.cursor(PairSyncTest.PAIR, Side.EXCHANGE));
        assertEquals(QuarantineCommands.USAGE, commands.quarantine("retry"));
    }
}
