package io.nexchange.engine.internal;

import io.nexchange.api.source.MailboxNotServedException;
import io.nexchange.api.state.StateException;
import io.nexchange.api.state.SyncStateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the Exchange-side backend of a mailbox at the start of each of its runs: an automatic route if the mailbox's
 * backend refused it, else the latest {@code nexchange:switch} that takes it in (read from the state database every
 * run, so a switch made on any instance applies from the mailbox's next run, without a restart), else the configured
 * {@link Routing}.
 *
 * <p><b>Automatic routing</b> ({@code routing.automatic}, on by default): when the mailbox's backend refuses it
 * ({@link MailboxNotServedException}: Graph's MailboxNotEnabledForRESTAPI for an on-premises mailbox of a hybrid
 * organisation, EWS's 403 where EWS is blocked) and the other backend serves it in the same run, the mailbox stays on
 * the other one. Automatic routes live in memory: they are reported in {@code /status} and logged once, and a restart,
 * a switch of the mailbox or the backend going away makes the mailbox try its configured backend again (one refused
 * request). So does time: every {@code routing.automaticRetryMinutes} a run tries the configured backend first, because
 * what refused a mailbox may serve it now (a hybrid mailbox moved to Exchange Online, EWS allowed again); a mailbox it
 * serves leaves the automatic route, one it still refuses stays on it without another WARN. Switches and
 * {@code backend.*} express what the operator wants; automatic routes only what works.
 */
final class BackendRouter {
    private static final Logger LOG = LoggerFactory.getLogger(BackendRouter.class);
    static final String AUTOMATIC = "automatic: ";

    /**
     * A mailbox moved by automatic routing: from the backend that refused it to the one that serves it, since when, and
     * when a run last tried the backend that refused it ({@code since} until the first such try).
     */
    record AutomaticRoute(String from, String to, MailboxNotServedException.Reason reason, String why, Instant since,
            Instant lastTried) {
        AutomaticRoute tried(Instant at) {
            return new AutomaticRoute(from, to, reason, why, since, at);
        }
    }

    private final Routing routing;
    private final SyncStateStore state;
    private final Clock clock;
    private final boolean automatic;
    private final Map<String, AutomaticRoute> automaticRoutes = new ConcurrentHashMap<>();
    /** How long an automatic route holds before a run tries the configured backend again; zero: until a restart. */
    private final Duration retryConfigured;

    static final Duration DEFAULT_RETRY_CONFIGURED = Duration.ofMinutes(60);

    BackendRouter(Routing routing, SyncStateStore state, Clock clock) {
        this(routing, state, clock, true, DEFAULT_RETRY_CONFIGURED);
    }

    BackendRouter(Routing routing, SyncStateStore state, Clock clock, boolean automatic, Duration retryConfigured) {
        this.routing = routing;
        this.state = state;
        this.clock = clock;
        this.automatic = automatic;
        this.retryConfigured = retryConfigured;
    }

    boolean automaticEnabled() {
        return automatic;
    }

    Routing routing() {
        return routing;
    }

    /** The backend for the mailbox's next run and why. */
    Routing.Route route(String primarySmtp) throws StateException {
        AutomaticRoute auto = automaticRoutes.get(primarySmtp.toLowerCase(Locale.ROOT));
        if (auto != null) {
            return new Routing.Route(auto.to(), AUTOMATIC + auto.why());
        }
        return route(primarySmtp, BackendSwitches.load(state));
    }

    /**
     * The backend for a run of the mailbox: {@link #route(String)}, except that an automatic route older than
     * {@code routing.automaticRetryMinutes} (since it began or since the last such try) gives way to the configured
     * backend for this run. If that one refuses again, {@link #routeAutomatically} keeps the route quietly; if it serves
     * the mailbox, {@link #served} ends the route.
     */
    Routing.Route routeForRun(String primarySmtp) throws StateException {
        String smtp = primarySmtp.toLowerCase(Locale.ROOT);
        AutomaticRoute auto = automaticRoutes.get(smtp);
        if (auto == null || retryConfigured.isZero()) {
            return route(smtp);
        }
        Instant now = clock.instant();
        // replace, not put: a run that ended the route meanwhile is not undone
        if (now.isBefore(auto.lastTried().plus(retryConfigured))
                || !automaticRoutes.replace(smtp, auto, auto.tried(now))) {
            return route(smtp);
        }
        Routing.Route configured = route(smtp, BackendSwitches.load(state));
        LOG.debug("{}: trying its configured backend {} again (automatic route to {} since {})", smtp, configured.backend(),
                auto.to(), auto.since());
        return new Routing.Route(configured.backend(), configured.because() + "; tried again after "
                + SyncScheduler.human(retryConfigured) + " on the automatic route to " + auto.to());
    }

    /** A run of the mailbox worked through {@code backend}: an automatic route away from it has ended. */
    void served(String primarySmtp, String backend) {
        String smtp = primarySmtp.toLowerCase(Locale.ROOT);
        AutomaticRoute auto = automaticRoutes.get(smtp);
        if (auto != null && !auto.to().equals(backend) && automaticRoutes.remove(smtp, auto)) {
            LOG.info("{}: {} serves the mailbox again; automatic route to {} (since {}) ended", smtp, backend, auto.to(),
                    auto.since());
        }
    }

    boolean isAutomatic(Routing.Route route) {
        return route.because().startsWith(AUTOMATIC);
    }

    /** The backend to try when {@code backend} refused a mailbox, if automatic routing is on. */
    Optional<String> alternative(String backend, MailboxNotServedException refused) {
        if (!automatic) {
            return Optional.empty();
        }
        return switch (backend) {
            case "graph" -> Optional.of("ews");
            case "ews" -> Optional.of("graph");
            default -> Optional.empty();
        };
    }

    /** {@code from} refused the mailbox and {@code to} served it: it stays on {@code to} (logged once). */
    void routeAutomatically(String primarySmtp, String from, String to, MailboxNotServedException refused) {
        String smtp = primarySmtp.toLowerCase(Locale.ROOT);
        BackendSwitches switches;
        try {
            switches = BackendSwitches.load(state);
        } catch (StateException e) {
            switches = BackendSwitches.none(); // the run just used the state store; if it fails now, keep the route anyway
        }
        if (route(smtp, switches).backend().equals(to)) {
            if (automaticRoutes.remove(smtp) != null) {
                LOG.info("{}: {} refuses the mailbox ({}); back on its configured backend {}, which serves it", smtp, from,
                        reason(from, refused.reason()), to);
            }
            return;
        }
        AutomaticRoute kept = automaticRoutes.get(smtp);
        if (kept != null && kept.from().equals(from) && kept.to().equals(to)) {
            LOG.debug("{}: {} still refuses the mailbox; it stays on {}", smtp, from, to);
            return; // a retry of the configured backend: refused again, the route (and its first time) stays
        }
        Instant now = clock.instant();
        AutomaticRoute route = new AutomaticRoute(from, to, refused.reason(), from + " refuses the mailbox ("
                + reason(from, refused.reason()) + ")", now, now);
        if (automaticRoutes.put(smtp, route) == null) {
            LOG.warn("{}: {}; routed to {} automatically, which serves it. {}", smtp, route.why(), to, advice(smtp, from, to,
                    refused.reason()));
        }
    }

    /** Drops a mailbox's automatic route (its backend went away, or the operator switched it). */
    void forgetAutomatic(String primarySmtp, String why) {
        AutomaticRoute gone = automaticRoutes.remove(primarySmtp.toLowerCase(Locale.ROOT));
        if (gone != null) {
            LOG.info("{}: automatic route to {} ended ({}); back to its configured backend", primarySmtp, gone.to(), why);
        }
    }

    Map<String, AutomaticRoute> automaticRoutes() {
        return new TreeMap<>(automaticRoutes);
    }

    /** What the refusal means, naming the setting that decides it. */
    static String reason(String backend, MailboxNotServedException.Reason reason) {
        if (reason == MailboxNotServedException.Reason.BLOCKED) {
            return "EWS blocked, HTTP 403: the tenant setting EWSEnabled is off (Set-OrganizationConfig -EwsEnabled), the app is "
                    + "not on the EWS application allow list (EwsApplicationAccessPolicy EnforceAllowList, EwsAllowList), or "
                    + "EWS is off for the mailbox (Set-CASMailbox -EwsEnabled)";
        }
        return "graph".equals(backend) ? "MailboxNotEnabledForRESTAPI: the mailbox lives on the on-premises Exchange"
                : "ErrorNonExistentMailbox: the mailbox is not on that EWS endpoint";
    }

    private static String advice(String smtp, String from, String to, MailboxNotServedException.Reason reason) {
        String keep = "To make it permanent: nexchange:switch " + smtp + " " + to + " (or backend.override); to turn this off: "
                + "routing.automatic = false in io.nexchange.engine";
        if (reason == MailboxNotServedException.Reason.BLOCKED) {
            return "To keep EWS for it, allow the app in the tenant (EWSEnabled, EwsAllowList). " + keep;
        }
        return keep;
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
        automaticRoutes.keySet().removeIf(smtp -> selector.matches(smtp, routing));
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
        automaticRoutes.clear();
        BackendSwitches.none().store(state);
    }

    private static String known(String what, java.util.Set<String> names) {
        return names.isEmpty() ? "" : "; defined " + what + ": " + String.join(", ", names);
    }
}
