package io.nexchange.engine.internal;

import io.nexchange.api.Mailbox;
import io.nexchange.api.directory.DirectoryException;
import io.nexchange.api.state.StateException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code nexchange:switch (MAILBOX | --group G | --wave W | --domain D | --all) BACKEND}: moves mailboxes to another
 * Exchange-side backend from their next run, without a restart; {@code nexchange:switch} alone shows the routing,
 * {@code nexchange:switch --clear} forgets every switch. The switch keeps the sync state: the mailbox's next round is a
 * full listing through the new backend matched to the status rows by item key, so nothing is written for an item
 * whose content is the same.
 */
@Component(service = SwitchCommand.class, property = {
    "osgi.command.scope=nexchange",
    "osgi.command.function=switch"
})
public final class SwitchCommand {
    static final String USAGE = "usage: nexchange:switch (MAILBOX | --group NAME | --wave NAME | --domain DOMAIN | --all) "
            + "graph|ews\n       nexchange:switch            (shows which backend serves each mailbox, and why)\n"
            + "       nexchange:switch --clear    (forgets every switch: the configuration alone routes again)\n";
    /** Backends the engine knows by name even while their feature is not installed. */
    static final Set<String> KNOWN_BACKENDS = Set.of("graph", "ews");

    private final SyncControl engine;

    @Activate
    public SwitchCommand(@Reference SyncControl engine) {
        this.engine = engine;
    }

    /** Gogo calls a function that is a Java keyword by the method of its name with a leading underscore. */
    public String _switch(String... args) {
        return run(args);
    }

    String run(String... args) {
        try {
            if (args.length == 0) {
                return overview();
            }
            if (args.length == 1 && args[0].equals("--clear")) {
                engine.router().clearSwitches();
                return "Every backend switch forgotten: the configuration (backend.* in io.nexchange.engine) routes every "
                        + "mailbox again from its next run.\n";
            }
            if (args.length < 2) {
                return USAGE;
            }
            Optional<BackendSwitches.Selector> selector = selector(List.of(args).subList(0, args.length - 1));
            if (selector.isEmpty()) {
                return USAGE;
            }
            return switchTo(engine, selector.get(), args[args.length - 1].trim().toLowerCase(Locale.ROOT)).text();
        } catch (IllegalArgumentException e) {
            return "not switched: " + e.getMessage() + "\n";
        } catch (StateException e) {
            return "not switched: the state store failed: " + e.getMessage() + "\n";
        }
    }

    /** What a switch did: the mailboxes of the directory's list it takes in, those that change backend, the text. */
    record Outcome(BackendSwitches.Selector selector, String backend, List<String> taken, int moved, String text) {}

    /** {@code MAILBOX}, {@code --all}, {@code --group G}, {@code --wave W}, {@code --domain D} as words; empty if none. */
    static Optional<BackendSwitches.Selector> selector(List<String> words) {
        if (words.size() == 1 && words.get(0).equals("--all")) {
            return Optional.of(BackendSwitches.Selector.all());
        }
        if (words.size() == 1 && !words.get(0).startsWith("-") && !words.get(0).isBlank()) {
            return Optional.of(new BackendSwitches.Selector(BackendSwitches.Selector.Kind.MAILBOX, words.get(0)));
        }
        if (words.size() == 2 && List.of("--group", "--wave", "--domain").contains(words.get(0)) && !words.get(1).isBlank()) {
            return Optional.of(new BackendSwitches.Selector(BackendSwitches.Selector.Kind.valueOf(
                    words.get(0).substring(2).toUpperCase(Locale.ROOT)), words.get(1)));
        }
        return Optional.empty();
    }

    /** Records the switch and says whom it moves (the console's switch action does the same). */
    static Outcome switchTo(SyncControl engine, BackendSwitches.Selector selector, String backend) throws StateException {
        Set<String> running = engine.runningExchangeBackends();
        if (!KNOWN_BACKENDS.contains(backend) && !running.contains(backend)) {
            throw new IllegalArgumentException("no Exchange backend '" + backend + "' (graph or ews"
                    + (running.isEmpty() ? "" : "; running now: " + String.join(", ", running)) + ")");
        }
        BackendRouter router = engine.router();
        BackendSwitches before = router.switches();
        BackendSwitches after = router.switchTo(selector, backend);
        StringBuilder out = new StringBuilder();
        List<Mailbox> inScope;
        try {
            inScope = engine.mailboxes();
        } catch (DirectoryException e) {
            out.append("Switched ").append(selector).append(" to ").append(backend).append(" (the mailbox list could not be "
                    + "read to show whom it moves: ").append(e.getMessage()).append(")\n");
            return new Outcome(selector, backend, List.of(), -1, out.append(effect(backend, running)).toString());
        }
        List<String> taken = new java.util.ArrayList<>();
        int moved = 0;
        StringBuilder lines = new StringBuilder();
        for (Mailbox m : inScope) {
            if (!selector.matches(m.primarySmtp(), router.routing())) {
                continue;
            }
            taken.add(m.primarySmtp());
            String was = router.route(m.primarySmtp(), before).backend();
            String now = router.route(m.primarySmtp(), after).backend();
            if (!was.equals(now)) {
                moved++;
            }
            lines.append("  ").append(m.primarySmtp()).append("  ").append(was).append(" -> ").append(now).append('\n');
        }
        out.append("Switched ").append(selector).append(" to ").append(backend).append(": ").append(taken.size()).append(" of ")
                .append(inScope.size()).append(" mailboxes in scope, ").append(moved).append(" change backend\n").append(lines);
        if (taken.isEmpty() && selector.kind() != BackendSwitches.Selector.Kind.ALL) {
            out.append("  (no mailbox of the directory's list matches now; the switch applies to those that match later)\n");
        }
        return new Outcome(selector, backend, taken, moved, out.append(effect(backend, running)).toString());
    }

    private static String effect(String backend, Set<String> running) {
        String text = "From each mailbox's next run (the next cycle, or nexchange:sync MAILBOX now) it reads through "
                + backend + ": one full listing matched to the sync state by item key, so an item whose content is the same "
                + "is not written again. Kept in the state database: every instance sharing it, and a restart, keep the switch.\n";
        if (!running.contains(backend)) {
            text += "Note: no " + backend + " ItemStore is running now (install the " + backend + " feature); until one is, "
                    + "these mailboxes end FAILED naming it.\n";
        }
        return text;
    }

    /** Switches, then each mailbox of the directory's list with its backend and the rule that chose it. */
    private String overview() throws StateException {
        BackendRouter router = engine.router();
        BackendSwitches switches = router.switches();
        StringBuilder out = new StringBuilder("Exchange-side backends running: ")
                .append(String.join(", ", new TreeSet<>(engine.runningExchangeBackends()))).append('\n');
        out.append(router.routing().describe()).append('\n');
        router.routing().groups().forEach((n, p) -> out.append("group.").append(n).append(" = ").append(p).append('\n'));
        router.routing().waves().forEach((n, p) -> out.append("wave.").append(n).append(" = ").append(p).append('\n'));
        if (switches.switches().isEmpty()) {
            out.append("No switches (nexchange:switch).\n");
        } else {
            out.append("Switches, oldest first (the latest that takes a mailbox in wins):\n");
            switches.switches().forEach(s -> out.append("  ").append(s.at()).append("  ").append(s.selector()).append(" -> ")
                    .append(s.backend()).append('\n'));
        }
        try {
            List<Mailbox> inScope = engine.mailboxes();
            out.append("Mailboxes (").append(inScope.size()).append("):\n");
            for (Mailbox m : inScope) {
                BackendRouter.AutomaticRoute auto = router.automaticRoutes().get(m.primarySmtp());
                Routing.Route route = auto != null ? new Routing.Route(auto.to(), BackendRouter.AUTOMATIC + auto.why())
                        : router.route(m.primarySmtp(), switches);
                out.append(String.format(Locale.ROOT, "  %-40s %-6s %s%n", m.primarySmtp(), route.backend(), route.because()));
            }
        } catch (DirectoryException e) {
            out.append("The mailbox list could not be read: ").append(e.getMessage()).append('\n');
        }
        return out.append(SyncStatusSection.automaticRoutes(router)).toString();
    }
}
