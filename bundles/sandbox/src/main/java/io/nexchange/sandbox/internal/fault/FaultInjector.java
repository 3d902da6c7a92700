package io.nexchange.sandbox.internal.fault;

import io.nexchange.sandbox.FaultRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Predicate;

/** The active fault rules; decides per request which of them fire. */
public final class FaultInjector {
    private final List<Active> rules = new ArrayList<>();
    private final Random random;

    public FaultInjector(long seed) {
        this.random = new Random(seed);
    }

    public synchronized void add(FaultRule rule) {
        rules.add(new Active(rule, rule.count()));
    }

    public synchronized void clear() {
        rules.clear();
    }

    public synchronized List<FaultRule> active() {
        List<FaultRule> out = new ArrayList<>();
        rules.forEach(a -> out.add(a.rule));
        return out;
    }

    /**
     * The first rule of one of the kinds that fires for this request (consuming one of its "next N").
     *
     * @param path request path
     * @param mailboxMatches tells whether a rule's mailbox names the request's mailbox
     */
    public synchronized FaultRule fire(String path, Predicate<String> mailboxMatches, FaultRule.Kind... kinds) {
        String lower = path.toLowerCase(Locale.ROOT);
        for (int i = 0; i < rules.size(); i++) {
            Active a = rules.get(i);
            FaultRule r = a.rule;
            if (!isOneOf(r.kind(), kinds)) {
                continue;
            }
            if (r.pathContains() != null && !lower.contains(r.pathContains())) {
                continue;
            }
            if (r.mailbox() != null && !mailboxMatches.test(r.mailbox())) {
                continue;
            }
            if (r.probability() < 1.0 && random.nextDouble() >= r.probability()) {
                continue;
            }
            if (a.remaining > 0) {
                a.remaining--;
                if (a.remaining == 0) {
                    rules.remove(i);
                }
            }
            return r;
        }
        return null;
    }

    private static boolean isOneOf(FaultRule.Kind k, FaultRule.Kind[] kinds) {
        for (FaultRule.Kind x : kinds) {
            if (x == k) {
                return true;
            }
        }
        return false;
    }

    private static final class Active {
        final FaultRule rule;
        int remaining;

        Active(FaultRule rule, int remaining) {
            this.rule = rule;
            this.remaining = remaining;
        }
    }
}
