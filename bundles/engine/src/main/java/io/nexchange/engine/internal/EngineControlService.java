package io.nexchange.engine.internal;

import io.nexchange.engine.control.CycleView;
import io.nexchange.engine.control.EngineControl;
import io.nexchange.engine.control.EngineView;
import io.nexchange.engine.control.MailboxView;
import io.nexchange.engine.control.MigrationView;
import io.nexchange.engine.control.PairView;
import io.nexchange.engine.control.ShadowView;
import io.nexchange.engine.control.SwitchOutcome;
import io.nexchange.api.Mailbox;
import io.nexchange.api.directory.DirectoryException;
import io.nexchange.api.state.StateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/** The engine's {@link EngineControl} service: its snapshot, mapped to the exported views. */
@Component(service = EngineControl.class)
public final class EngineControlService implements EngineControl {
    private final SyncControl engine;
    /** Shadow reads asked for by the console: one at a time (each is two full listings of a mailbox). */
    private final ExecutorService shadowReads = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "nexchange-shadow-read");
        t.setDaemon(true);
        return t;
    });

    @Activate
    public EngineControlService(@Reference SyncControl engine) {
        this.engine = engine;
    }

    @Deactivate
    void deactivate() {
        shadowReads.shutdownNow();
    }

    @Override
    public EngineView view() {
        EngineSnapshot s = engine.snapshot();
        CycleView cycle = new CycleView(s.cycleRunning(), s.mailboxesDone(), s.mailboxesTotal(), s.itemsWritten(),
                s.itemsPerSecond(), s.eta(), s.lastCycleFinished(), s.lastCycleDuration(), s.directoryError());
        return new EngineView(cycle, s.mailboxes().stream().map(EngineControlService::view).toList());
    }

    @Override
    public CompletableFuture<MailboxView> syncNow(String mailbox, boolean allowDeletions) {
        return engine.syncNow(mailbox, allowDeletions).thenApply(EngineControlService::view);
    }

    @Override
    public CompletableFuture<List<MailboxView>> syncAll() {
        return engine.syncAll(false).thenApply(results -> results.stream().map(EngineControlService::view).toList());
    }

    @Override
    public MigrationView migration() {
        BackendRouter router = engine.router();
        Routing routing = router.routing();
        BackendSwitches switches;
        try {
            switches = router.switches();
        } catch (StateException e) {
            throw new IllegalStateException("the state store failed reading the backend switches: " + e.getMessage(), e);
        }
        // the mailboxes the engine knows without listing the directory again (at 10,000 mailboxes a Graph listing is a
        // dozen requests, too many for a page view): every mailbox it ran or runs
        TreeSet<String> known = new TreeSet<>();
        engine.snapshot().mailboxes().forEach(m -> known.add(m.mailbox()));
        Map<String, BackendRouter.AutomaticRoute> automatic = router.automaticRoutes();
        List<MigrationView.RouteView> routes = new ArrayList<>();
        for (String smtp : known) {
            BackendRouter.AutomaticRoute auto = automatic.get(smtp);
            Routing.Route route = auto != null ? new Routing.Route(auto.to(), BackendRouter.AUTOMATIC + auto.why())
                    : router.route(smtp, switches);
            routes.add(new MigrationView.RouteView(smtp, route.backend(), route.because(), auto != null,
                    members(routing.waves(), smtp), members(routing.groups(), smtp)));
        }
        return new MigrationView(engine.runningExchangeBackends(), routing.exchangeDefault(), routing.describe(),
                router.automaticEnabled(), sets(routing.waves(), routing.waveBackends()), sets(routing.groups(), routing.groupBackends()),
                switches.switches().stream().map(s -> new MigrationView.SwitchView(s.selector().toString(), s.backend(), s.at()))
                        .toList(),
                routes, engine.shadowReader().reports().values().stream().map(EngineControlService::view).toList());
    }

    @Override
    public SwitchOutcome switchBackend(String selector, String backend) {
        BackendSwitches.Selector chosen = SwitchCommand.selector(List.of(selector.strip().split("\\s+")))
                .orElseThrow(() -> new IllegalArgumentException("'" + selector + "' is not a mailbox address, --wave NAME, "
                        + "--group NAME, --domain DOMAIN or --all"));
        try {
            SwitchCommand.Outcome done = SwitchCommand.switchTo(engine, chosen, backend.strip().toLowerCase(Locale.ROOT));
            return new SwitchOutcome(done.selector().toString(), done.backend(), done.taken(), done.moved(), done.text());
        } catch (StateException e) {
            throw new IllegalStateException("not switched: the state store failed: " + e.getMessage(), e);
        }
    }

    @Override
    public CompletableFuture<ShadowView> shadowRead(String mailbox) {
        String wanted = mailbox.strip().toLowerCase(Locale.ROOT);
        return CompletableFuture.supplyAsync(() -> {
            try {
                Mailbox found = engine.mailboxes().stream().filter(m -> m.primarySmtp().equals(wanted)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("mailbox " + wanted + " is not in the mailbox directory's scope"));
                return view(engine.shadowReader().read(found));
            } catch (DirectoryException e) {
                throw new IllegalStateException("the mailbox list could not be read: " + e.getMessage(), e);
            }
        }, shadowReads);
    }

    static ShadowView view(ShadowReport r) {
        return new ShadowView(r.mailbox(), r.primary(), r.shadow(), r.at(), r.differences(), r.summary(), r.render(), r.error());
    }

    private static List<String> members(Map<String, MailboxPatterns> sets, String smtp) {
        return sets.entrySet().stream().filter(e -> e.getValue().matches(smtp)).map(Map.Entry::getKey).toList();
    }

    private static List<MigrationView.MailboxSet> sets(Map<String, MailboxPatterns> sets, Map<String, String> backends) {
        return sets.entrySet().stream().map(e -> new MigrationView.MailboxSet(e.getKey(), e.getValue().patterns(),
                backends.getOrDefault(e.getKey(), ""))).toList();
    }

    private static MailboxView view(MailboxResult result) {
        return view(new EngineSnapshot.MailboxStatus(result.mailbox(), false, java.util.Optional.of(result),
                result.state() == MailboxResult.State.OK ? java.util.Optional.of(result.finished()) : java.util.Optional.empty()));
    }

    static MailboxView view(EngineSnapshot.MailboxStatus m) {
        return m.last().map(r -> new MailboxView(m.mailbox(), r.state().name(), m.running(), r.exchangeBackend(),
                java.util.Optional.of(r.finished()), m.lastSuccess(), r.read(), r.writes(), r.error(), r.alerts(),
                r.pairs().stream().map(EngineControlService::view).toList()))
                .orElseGet(() -> new MailboxView(m.mailbox(), "-", m.running(), "", java.util.Optional.empty(), m.lastSuccess(),
                        0, 0, "", java.util.List.of(), java.util.List.of()));
    }

    static PairView view(PairResult p) {
        return new PairView(p.pair().kind().name().toLowerCase(Locale.ROOT), p.pair().exchangeCollection(),
                p.pair().nextcloudCollection(), p.outcome().name(), PairResult.sum(p.read()), p.writes(), p.adopted(),
                p.conflicts(), p.suppressed(), p.errors(), p.alert());
    }
}
