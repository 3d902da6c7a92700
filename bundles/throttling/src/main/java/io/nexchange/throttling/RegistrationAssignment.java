package io.nexchange.throttling;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Spreads mailboxes over app registrations with weighted rendezvous (highest random weight) hashing: each
 * mailbox goes to the registration with the highest score {@code -weight / ln(hash(registration, mailbox))}.
 *
 * <p>Why: every registration has its own Outlook budget per mailbox, so more registrations mean more throughput
 * only if the mailboxes are spread; and a mailbox should stay on its registration (its budget, its delta tokens'
 * app) across restarts. The mapping depends only on the registration names, weights and the mailbox address, so
 * it is identical after a restart and on every instance; adding a registration moves only the mailboxes it wins
 * (about {@code weight / total weight} of them), removing one moves only its own mailboxes. No state is kept.
 *
 * <p>The hash is FNV-1a over UTF-8 with a 64-bit finaliser (MurmurHash3's fmix64), written here because it must
 * never change between versions or JVMs (unlike {@link String#hashCode()} quality, or a library's default seed).
 * Mailbox addresses are compared case-insensitively. Immutable and thread-safe.
 */
public final class RegistrationAssignment {

    private final List<Registration> registrations;
    private final byte[][] names;

    public RegistrationAssignment(Collection<Registration> registrations) {
        List<Registration> list = new ArrayList<>(registrations);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("at least one app registration is needed to assign mailboxes");
        }
        Set<String> seen = new HashSet<>();
        for (Registration r : list) {
            if (!seen.add(r.name())) {
                throw new IllegalArgumentException("app registration '" + r.name() + "' is configured twice");
            }
        }
        // order does not influence the result, but a sorted list makes ties and listings deterministic
        list.sort(Comparator.comparing(Registration::name));
        this.registrations = List.copyOf(list);
        this.names = new byte[list.size()][];
        for (int i = 0; i < list.size(); i++) {
            names[i] = list.get(i).name().getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Equal weights. */
    public static RegistrationAssignment of(String... names) {
        return new RegistrationAssignment(Arrays.stream(names).map(Registration::of).toList());
    }

    public List<Registration> registrations() {
        return registrations;
    }

    /** The registration that serves {@code mailbox}. */
    public String assign(String mailbox) {
        byte[] m = normalise(mailbox);
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < names.length; i++) {
            double score = score(i, m);
            if (score > bestScore) {
                best = i;
                bestScore = score;
            }
        }
        return registrations.get(best).name();
    }

    /**
     * All registrations in order of preference for {@code mailbox}: the first is {@link #assign(String)}, the
     * next is where the mailbox would go if the first were removed (e.g. while its credentials are failing).
     */
    public List<String> ranking(String mailbox) {
        byte[] m = normalise(mailbox);
        Integer[] order = new Integer[names.length];
        double[] scores = new double[names.length];
        for (int i = 0; i < names.length; i++) {
            order[i] = i;
            scores[i] = score(i, m);
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        List<String> result = new ArrayList<>(names.length);
        for (Integer i : order) {
            result.add(registrations.get(i).name());
        }
        return result;
    }

    private double score(int i, byte[] mailbox) {
        long h = fmix64(fnv1a(fnv1a(FNV_OFFSET, names[i]) * FNV_PRIME ^ 0xff, mailbox));
        // 53 random bits -> u in (0, 1), never 0 or 1
        double u = ((h >>> 11) + 0.5) / (double) (1L << 53);
        return -registrations.get(i).weight() / Math.log(u);
    }

    private static byte[] normalise(String mailbox) {
        return mailbox.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
    }

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private static long fnv1a(long h, byte[] bytes) {
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= FNV_PRIME;
        }
        return h;
    }

    private static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
