package io.nexchange.engine.internal;

import io.nexchange.api.state.StateException;
import io.nexchange.api.state.SyncStateStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The backend switches made with {@code nexchange:switch}, oldest first. They are kept in the state database
 * ({@link SyncStateStore#setting}, name {@value #SETTING}) rather than in the engine's configuration: every instance
 * sharing the database (leases move mailboxes between them) then routes a mailbox the same way, a restart keeps them
 * (the bundle cache, where Configuration Admin would keep an update, is rebuilt at every start), and a switch does not
 * restart the engine component (a configuration update would, stopping the running syncs) nor rewrite the operator's
 * {@code etc/io.nexchange.engine.cfg}.
 *
 * <p>For a mailbox, the <em>latest</em> switch whose selector takes it in wins, so {@code --all graph} after
 * {@code --wave 1 ews} moves everyone. A new switch drops the older ones it makes pointless (the same selector, or all
 * of them for {@code --all}), so the list stays short.
 */
record BackendSwitches(List<BackendSwitches.Switch> switches) {
    static final String SETTING = "engine.backend.switches";

    /** What a switch applies to. {@code name} is the mailbox, group, wave or domain ({@code ""} for ALL). */
    record Selector(Kind kind, String name) {
        enum Kind { MAILBOX, GROUP, WAVE, DOMAIN, ALL }

        Selector {
            name = kind == Kind.MAILBOX || kind == Kind.DOMAIN ? name.trim().toLowerCase(Locale.ROOT) : name.trim();
        }

        static Selector all() {
            return new Selector(Kind.ALL, "");
        }

        /** Whether the selector takes in the mailbox; groups and waves by the configuration's current definitions. */
        boolean matches(String primarySmtp, Routing routing) {
            String smtp = primarySmtp.toLowerCase(Locale.ROOT);
            return switch (kind) {
                case ALL -> true;
                case MAILBOX -> name.equals(smtp);
                case DOMAIN -> smtp.endsWith("@" + name);
                case GROUP -> routing.groups().containsKey(name) && routing.groups().get(name).matches(smtp);
                case WAVE -> routing.waves().containsKey(name) && routing.waves().get(name).matches(smtp);
            };
        }

        /** As the command is written: {@code --wave 1}, {@code --all}, {@code alice@example.org}. */
        @Override
        public String toString() {
            return switch (kind) {
                case ALL -> "--all";
                case MAILBOX -> name;
                default -> "--" + kind.name().toLowerCase(Locale.ROOT) + " " + name;
            };
        }
    }

    record Switch(Selector selector, String backend, Instant at) {
        String line() {
            return selector.kind() + "\t" + selector.name() + "\t" + backend + "\t" + at;
        }

        static Switch parse(String line) {
            String[] f = line.split("\t", -1);
            if (f.length != 4) {
                throw new IllegalArgumentException("malformed backend switch '" + line + "'");
            }
            return new Switch(new Selector(Selector.Kind.valueOf(f[0]), f[1]), f[2], Instant.parse(f[3]));
        }
    }

    BackendSwitches {
        switches = List.copyOf(switches);
    }

    static BackendSwitches none() {
        return new BackendSwitches(List.of());
    }

    /** The switches stored in the state database. */
    static BackendSwitches load(SyncStateStore state) throws StateException {
        Optional<String> stored = state.setting(SETTING);
        if (stored.isEmpty()) {
            return none();
        }
        List<Switch> list = new ArrayList<>();
        for (String line : stored.get().split("\n")) {
            if (!line.isBlank()) {
                list.add(Switch.parse(line));
            }
        }
        return new BackendSwitches(list);
    }

    void store(SyncStateStore state) throws StateException {
        StringBuilder out = new StringBuilder();
        switches.forEach(s -> out.append(s.line()).append('\n'));
        state.putSetting(SETTING, switches.isEmpty() ? null : out.toString());
    }

    /** These switches and then {@code added}, without the ones it supersedes. */
    BackendSwitches with(Switch added) {
        List<Switch> list = new ArrayList<>();
        if (added.selector().kind() != Selector.Kind.ALL) {
            switches.stream().filter(s -> !s.selector().equals(added.selector())).forEach(list::add);
        }
        list.add(added);
        return new BackendSwitches(list);
    }

    /** The latest switch that takes the mailbox in, if any. */
    Optional<Switch> find(String primarySmtp, Routing routing) {
        for (int i = switches.size() - 1; i >= 0; i--) {
            if (switches.get(i).selector().matches(primarySmtp, routing)) {
                return Optional.of(switches.get(i));
            }
        }
        return Optional.empty();
    }
}
