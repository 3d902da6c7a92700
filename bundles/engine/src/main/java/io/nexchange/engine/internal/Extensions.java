package io.nexchange.engine.internal;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.extension.AuditEvent;
import io.nexchange.api.extension.AuditSink;
import io.nexchange.api.extension.ConflictResolver;
import io.nexchange.api.extension.ItemContext;
import io.nexchange.api.extension.ItemTransformer;
import io.nexchange.api.item.Item;
import io.nexchange.api.state.Side;
import io.nexchange.api.state.SyncPair;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The extension services the engine sees ({@code io.nexchange.api.extension}): item transformers, conflict resolvers
 * and audit sinks. Services come and go at any time (a bundle dropped into or removed from {@code deploy/}); each pair
 * run takes a snapshot of the transformers when it begins ({@link #rendering}). Thread-safe.
 */
final class Extensions {
    private static final Logger LOG = LoggerFactory.getLogger(Extensions.class);

    /** No extension at all (tests, and the engine before any is registered). */
    static Extensions none() {
        return new Extensions(Clock.systemUTC());
    }

    private record Registered<T>(T service, int ranking, long id, String target, String kind, String name) {}

    private final Clock clock;
    private final List<Registered<ItemTransformer>> transformers = new CopyOnWriteArrayList<>();
    private final List<Registered<ConflictResolver>> resolvers = new CopyOnWriteArrayList<>();
    private final List<AuditSink> sinks = new CopyOnWriteArrayList<>();
    private final Map<AuditSink, Instant> sinkComplainedAt = new ConcurrentHashMap<>();

    Extensions(Clock clock) {
        this.clock = clock;
    }

    void addTransformer(ItemTransformer transformer, Map<String, Object> properties) {
        transformers.add(registered(transformer, properties));
        LOG.info("Item transformer available: {} (target {}, kind {}); items it affects are rewritten on the next cycle",
                transformer.getClass().getName(), property(properties, ItemTransformer.TARGET, "all"),
                property(properties, ItemTransformer.KIND, "all"));
    }

    void removeTransformer(ItemTransformer transformer) {
        if (transformers.removeIf(r -> r.service() == transformer)) {
            LOG.info("Item transformer gone: {}; items it changed are rewritten on the next cycle",
                    transformer.getClass().getName());
        }
    }

    void addResolver(ConflictResolver resolver, Map<String, Object> properties) {
        String name = property(properties, ConflictResolver.NAME, "");
        if (name.isEmpty()) {
            LOG.warn("A ConflictResolver without the {} service property is ignored: {}", ConflictResolver.NAME,
                    resolver.getClass().getName());
            return;
        }
        resolvers.add(registered(resolver, properties));
        LOG.info("Conflict policy available: '{}' ({})", name, resolver.getClass().getName());
    }

    void removeResolver(ConflictResolver resolver) {
        resolvers.removeIf(r -> r.service() == resolver);
    }

    void addSink(AuditSink sink) {
        sinks.add(sink);
        LOG.info("Audit sink available: {}", sink.getClass().getName());
    }

    void removeSink(AuditSink sink) {
        sinks.remove(sink);
        sinkComplainedAt.remove(sink);
    }

    /** The transformers for writes of {@code kind} to {@code target} now, highest ranking first, then oldest first. */
    Rendering rendering(Side target, CollectionKind kind) {
        String side = target.name().toLowerCase(Locale.ROOT);
        String kindName = kind.name().toLowerCase(Locale.ROOT);
        List<ItemTransformer> chain = new ArrayList<>();
        transformers.stream()
                .filter(r -> (r.target().isEmpty() || r.target().equals(side)) && (r.kind().isEmpty() || r.kind().equals(kindName)))
                .sorted(Comparator.comparingInt((Registered<ItemTransformer> r) -> -r.ranking()).thenComparingLong(Registered::id))
                .forEach(r -> chain.add(r.service()));
        return chain.isEmpty() ? Rendering.NONE : new Rendering(chain);
    }

    /**
     * The policy that resolves conflicts of one pair: a built-in one as it is, or the {@link ConflictResolver} of the
     * configured name, looked up when a conflict comes (so it may be deployed after the engine started).
     */
    ConflictPolicy policy(ConflictPolicy configured, SyncPair pair) {
        if (!(configured instanceof Named named)) {
            return configured;
        }
        return new ConflictPolicy() {
            @Override
            public Side winner(Item exchange, Item nextcloud) {
                ConflictResolver resolver = resolvers.stream().filter(r -> named.name().equals(r.name()))
                        .sorted(Comparator.comparingInt((Registered<ConflictResolver> r) -> -r.ranking()).thenComparingLong(Registered::id))
                        .map(Registered::service).findFirst()
                        .orElseThrow(() -> new ExtensionFailure("conflict policy '" + named.name() + "' is not available: no "
                                + "ConflictResolver service with " + ConflictResolver.NAME + "=" + named.name() + " is running "
                                + "(deploy its bundle, or set conflictPolicy in io.nexchange.engine.cfg to a built-in policy); "
                                + "the conflict stays until it is", null));
                Side winner;
                try {
                    winner = resolver.winner(new ItemContext(pair.mailbox(), pair.kind(), exchange.key()), exchange, nextcloud);
                } catch (RuntimeException e) {
                    throw new ExtensionFailure("conflict policy '" + named.name() + "' (" + resolver.getClass().getName()
                            + ") failed on " + exchange.key() + ": " + e, e);
                }
                if (winner == null) {
                    throw new ExtensionFailure("conflict policy '" + named.name() + "' named no winner for " + exchange.key(), null);
                }
                return winner;
            }

            @Override
            public String label() {
                return named.name();
            }
        };
    }

    /** Tells every audit sink; a sink that throws is logged at most once a minute and never stops the sync. */
    void audit(AuditEvent.Type type, SyncPair pair, io.nexchange.api.item.ItemKey key, Side side, String ref, String detail) {
        if (sinks.isEmpty()) {
            return;
        }
        AuditEvent event = new AuditEvent(clock.instant(), type, new ItemContext(pair.mailbox(), pair.kind(), key), side,
                ref, detail);
        for (AuditSink sink : sinks) {
            try {
                sink.record(event);
            } catch (RuntimeException e) {
                Instant last = sinkComplainedAt.get(sink);
                if (last == null || last.plusSeconds(60).isBefore(event.time())) {
                    sinkComplainedAt.put(sink, event.time());
                    LOG.warn("Audit sink {} failed ({}); the sync goes on (logged at most once a minute)",
                            sink.getClass().getName(), e.toString());
                }
            }
        }
    }

    /** A conflict policy named in the configuration that is not built in: a {@link ConflictResolver} service's name. */
    record Named(String name) implements ConflictPolicy {
        Named {
            if (!name.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("conflictPolicy must be exchange-wins, nextcloud-wins, newest-wins or "
                        + "the name of a ConflictResolver service (letters, digits, '.', '_', '-'), was '" + name + "'");
            }
        }

        @Override
        public Side winner(Item exchange, Item nextcloud) {
            throw new IllegalStateException("bound to a pair by Extensions.policy");
        }

        @Override
        public String label() {
            return name;
        }
    }

    /** A built-in policy, or the resolver service of that name. */
    static ConflictPolicy parsePolicy(String value) {
        return ConflictPolicy.builtIn(value).orElseGet(() -> new Named(Objects.requireNonNullElse(value, "").trim()));
    }

    private static <T> Registered<T> registered(T service, Map<String, Object> properties) {
        Object ranking = properties.get("service.ranking");
        Object id = properties.get("service.id");
        return new Registered<>(service, ranking instanceof Integer i ? i : 0, id instanceof Long l ? l : Long.MAX_VALUE,
                property(properties, ItemTransformer.TARGET, "").toLowerCase(Locale.ROOT),
                property(properties, ItemTransformer.KIND, "").toLowerCase(Locale.ROOT),
                property(properties, ConflictResolver.NAME, ""));
    }

    private static String property(Map<String, Object> properties, String name, String absent) {
        Object value = properties.get(name);
        return value == null ? absent : value.toString().trim();
    }
}
