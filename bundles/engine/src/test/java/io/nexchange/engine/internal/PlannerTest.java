package io.nexchange.engine.internal;

import static io.nexchange.engine.internal.MemoryStore.ics;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.item.Item;
import io.nexchange.api.item.ItemContent;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.source.Change;
import io.nexchange.api.state.ItemStatus;
import io.nexchange.api.state.Side;
import io.nexchange.api.state.SideStatus;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The decision table, one case per row; the rows are the table printed in the engine README. Each side of an item is
 * one of: {@code absent} (never seen), {@code new} / {@code new-alike} (first seen now, with this side's own content or
 * with the same content as the other side), {@code unchanged}, {@code churned} (new version, same content),
 * {@code edited} / {@code edited-alike}, {@code deleted}.
 */
class PlannerTest {
    static final ItemKey KEY = new ItemKey(CollectionKind.CALENDAR, "uid-1");

    @ParameterizedTest(name = "{0} | {1} -> two-way {2}, one-way {3}")
    @CsvSource(delimiter = '|', textBlock = """
            # Exchange   | Nextcloud    | two-way (policy)                 | exchange-to-nextcloud
            unchanged    | unchanged    | nothing                          | nothing
            churned      | unchanged    | record                           | record
            unchanged    | churned      | record                           | record
            edited       | unchanged    | update Nextcloud                 | update Nextcloud
            unchanged    | edited       | update Exchange                  | leave alone
            edited       | churned      | update Nextcloud                 | update Nextcloud
            edited-alike | edited-alike | record                           | record
            edited       | edited       | resolve, Exchange wins           | resolve, Exchange wins
            new-alike    | new-alike    | adopt                            | adopt
            new          | new          | resolve, Exchange wins           | resolve, Exchange wins
            new          | absent       | create Nextcloud                 | create Nextcloud
            absent       | new          | create Exchange                  | leave alone
            deleted      | unchanged    | delete Nextcloud                 | delete Nextcloud
            unchanged    | deleted      | delete Exchange                  | leave alone
            deleted      | edited       | create Exchange                  | leave alone
            edited       | deleted      | create Nextcloud                 | create Nextcloud
            deleted      | deleted      | forget                           | forget
            deleted      | absent       | forget                           | forget
            unchanged    | absent       | nothing                          | nothing
            churned      | absent       | record                           | record
            absent       | absent       | nothing                          | nothing
            """)
    void decisionTableRow(String exchange, String nextcloud, String twoWay, String oneWay) {
        assertEquals(twoWay, label(decide(exchange, nextcloud, Direction.TWO_WAY, ConflictPolicy.EXCHANGE_WINS)));
        assertEquals(oneWay, label(decide(exchange, nextcloud, Direction.EXCHANGE_TO_NEXTCLOUD,
                ConflictPolicy.EXCHANGE_WINS)));
    }

    @ParameterizedTest(name = "{0} | {1}, {2} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            edited | edited | nextcloud-wins | resolve, Nextcloud wins
            new    | new    | nextcloud-wins | resolve, Nextcloud wins
            edited | edited | exchange-wins  | resolve, Exchange wins
            """)
    void conflictPolicyPicksTheWinnerInTwoWayOnly(String exchange, String nextcloud, String policy, String twoWay) {
        ConflictPolicy p = ConflictPolicy.parse(policy);
        assertEquals(twoWay, label(decide(exchange, nextcloud, Direction.TWO_WAY, p)));
        assertEquals("resolve, Exchange wins", label(decide(exchange, nextcloud, Direction.EXCHANGE_TO_NEXTCLOUD, p)));
    }

    /**
     * The calendar window: an item a windowed full listing left out but the side still has (found by asking) is recorded
     * with the mark outsideWindow; a listing of a marked item ends the mark; a marked item not observed is as status
     * has it, so a change on the other side is carried over as for any item.
     */
    @Test
    void anItemOutsideTheWindowIsKeptAndMarkedAndAListingEndsTheMark() {
        SideView nextcloud = view(Side.NEXTCLOUD, "unchanged");
        SideStatus synced = view(Side.EXCHANGE, "unchanged").status;
        String text = ics("uid-1", "as synced");
        SideView foundOutside = new SideView(synced, Change.upsert(item(synced.ref(), "v1", text)), true);
        for (Direction direction : Direction.values()) {
            Action action = Planner.decide(KEY, new ItemStatus(KEY, synced, nextcloud.status), foundOutside, nextcloud, direction,
                    ConflictPolicy.EXCHANGE_WINS);
            assertEquals(new SideStatus(synced.ref(), "v1", synced.hash(), true), ((Action.Record) action).row().exchange());
        }
        SideStatus marked = new SideStatus(synced.ref(), "v1", synced.hash(), true);
        ItemStatus row = new ItemStatus(KEY, marked, nextcloud.status);
        Action listedAgain = Planner.decide(KEY, row, new SideView(marked, Change.listed(KEY, synced.ref(), "v1")), nextcloud,
                Direction.TWO_WAY, ConflictPolicy.EXCHANGE_WINS);
        assertEquals(synced, ((Action.Record) listedAgain).row().exchange());
        assertEquals("nothing", label(Planner.decide(KEY, row, new SideView(marked, null), nextcloud, Direction.TWO_WAY,
                ConflictPolicy.EXCHANGE_WINS)));
        assertEquals("update Exchange", label(Planner.decide(KEY, row, new SideView(marked, null),
                view(Side.NEXTCLOUD, "edited"), Direction.TWO_WAY, ConflictPolicy.EXCHANGE_WINS)));
        assertEquals("delete Exchange", label(Planner.decide(KEY, row, new SideView(marked, null),
                view(Side.NEXTCLOUD, "deleted"), Direction.TWO_WAY, ConflictPolicy.EXCHANGE_WINS)));
        assertEquals("leave alone", label(Planner.decide(KEY, row, new SideView(marked, null), view(Side.NEXTCLOUD, "edited"),
                Direction.EXCHANGE_TO_NEXTCLOUD, ConflictPolicy.EXCHANGE_WINS)));
    }

    static Action decide(String exchange, String nextcloud, Direction direction, ConflictPolicy policy) {
        SideView a = view(Side.EXCHANGE, exchange);
        SideView b = view(Side.NEXTCLOUD, nextcloud);
        ItemStatus row = a.status == null && b.status == null ? null : new ItemStatus(KEY, a.status, b.status);
        return Planner.decide(KEY, row, a, b, direction, policy);
    }

    /** One side of the item in one of the states the table names. */
    static SideView view(Side side, String state) {
        String ref = side.name().toLowerCase(Locale.ROOT) + ":/uid-1";
        String synced = ics("uid-1", "as synced");
        String own = ics("uid-1", "edited in " + side);
        String alike = ics("uid-1", "edited alike");
        SideStatus status = new SideStatus(ref, "v1", ContentHash.of(content(synced)));
        switch (state) {
            case "absent": return new SideView(null, null);
            case "new": return new SideView(null, Change.upsert(item(ref, "v2", own)));
            case "new-alike": return new SideView(null, Change.upsert(item(ref, "v2", alike)));
            case "unchanged": return new SideView(status, null);
            case "churned": return new SideView(status, Change.upsert(item(ref, "v2", synced)));
            case "edited": return new SideView(status, Change.upsert(item(ref, "v2", own)));
            case "edited-alike": return new SideView(status, Change.upsert(item(ref, "v2", alike)));
            case "deleted": return new SideView(status, Change.removal(KEY, ref));
            default: throw new IllegalArgumentException(state);
        }
    }

    static Item item(String ref, String version, String text) {
        return new Item(KEY, ref, version, content(text));
    }

    static ItemContent content(String text) {
        return new ItemContent(CollectionKind.CALENDAR.mediaType(), text);
    }

    static String label(Action action) {
        if (action instanceof Action.Create c) {
            return "create " + Planner.name(c.target());
        } else if (action instanceof Action.Update u) {
            return "update " + Planner.name(u.target());
        } else if (action instanceof Action.Delete d) {
            return "delete " + Planner.name(d.target());
        } else if (action instanceof Action.Resolve r) {
            return "resolve, " + Planner.name(r.winner()) + " wins";
        } else if (action instanceof Action.LeaveAlone) {
            return "leave alone";
        }
        return action.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }
}
