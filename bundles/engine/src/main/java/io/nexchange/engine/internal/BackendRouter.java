package io.nexchange.engine.internal;

import io.nexchange.api.state.StateException;
import io.nexchange.api.state.SyncStateStore;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

/**
 * Picks the Exchange-side backend of a mailbox at the start of each of its runs: the latest {@code nexchange:switch}
 * that takes it in (read from the state database every run, so a switch made on any instance applies from the
 * mailbox's next run, without a restart), else the configured {@link Routing}.
 */
final class BackendRouter {
    private final Routing routing;
    private final SyncStateStore state;
    private final Clock clock;

    BackendRouter(Routing routing, SyncStateStore state, Clock clock) {
        this.routing = routing;
        this.state = state;
        this.clock = clock;
    }

    Routing routing() {
        return routing;
    }

    /** The backend for the mailbox's next run and why. */
    Routing.Route route(String primarySmtp) throws StateException {
        return route(primarySmtp, BackendSwitches.load(state));
    }

    Routing.Route route(String primarySmtp, BackendSwitches switches) {
        Optional<BackendSwitches.Switch> latest = switches.find(primarySmtp, routing);
        if (latest.isPresent()) {
            BackendSwitches.Switch s = latest.get();
            return new Routing.Route(s.backend(), "nexchange:switch " + s.selector() + " " + s.backend() + " at " + s.at());
        }
        return routing.route(primarySmtp);
    }

    BackendSwitches switches() throws StateException {
        return BackendSwitches.load(state);
    }

    /**
     * Records a switch (synchronized: two commands on this instance do not lose each other's switch).
     *
     * @throws IllegalArgumentException naming the setting when the group or wave is not defined
     */
    synchronized BackendSwitches switchTo(BackendSwitches.Selector selector, String backend) throws StateException {
        String name = selector.name();
        if (selector.kind() == BackendSwitches.Selector.Kind.GROUP && !routing.groups().containsKey(name)) {
            throw new IllegalArgumentException("no group '" + name + "': define it in etc/io.nexchange.engine.cfg as group."
                    + name + " = addresses or patterns (e.g. *@legal.example.org)" + known("groups", routing.groups().keySet()));
        }
        if (selector.kind() == BackendSwitches.Selector.Kind.WAVE && !routing.waves().containsKey(name)) {
            throw new IllegalArgumentException("no wave '" + name + "': define it in etc/io.nexchange.engine.cfg as wave."
                    + name + " = addresses or patterns (e.g. *@sales.example.org, bob@example.org)"
                    + known("waves", routing.waves().keySet()));
        }
        if (selector.kind() == BackendSwitches.Selector.Kind.MAILBOX && name.indexOf('@') <= 0) {
            throw new IllegalArgumentException("'" + name + "' is not a mailbox address");
        }
        BackendSwitches updated = BackendSwitches.load(state)
                .with(new BackendSwitches.Switch(selector, backend.trim().toLowerCase(Locale.ROOT), clock.instant()));
        updated.store(state);
        return updated;
    }

    /** Forgets every switch: the configuration alone routes again. */
    synchronized void clearSwitches() throws StateException {
        BackendSwitches.none().store(state);
    }

    private static String known(String what, java.util.Set<String> names) {
        return names.isEmpty() ? "" : "; defined " + what + ": " + String.join(", ", names);
    }
}
