package io.nexchange.engine.internal;

import io.nexchange.engine.control.CycleView;
import io.nexchange.engine.control.EngineControl;
import io.nexchange.engine.control.EngineView;
import io.nexchange.engine.control.MailboxView;
import io.nexchange.engine.control.PairView;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The engine's {@link EngineControl} service: its snapshot, mapped to the exported views. */
@Component(service = EngineControl.class)
public final class EngineControlService implements EngineControl {
    private final SyncControl engine;

    @Activate
    public EngineControlService(@Reference SyncControl engine) {
        this.engine = engine;
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
    public CompletableFuture<java.util.List<MailboxView>> syncAll() {
        return engine.syncAll(false).thenApply(results -> results.stream().map(EngineControlService::view).toList());
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
