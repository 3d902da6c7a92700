package io.nexchange.throttling.internal;

import java.util.Arrays;

/**
 * Requests counted per bucket over a sliding window: a ring of {@code ringSize} buckets of {@code bucketNanos}
 * each, the newest being the bucket of "now". A request is admitted only if the sum over the whole ring stays
 * within the budget.
 *
 * <p>Guarantee: the ring always covers {@code (now - window - bucket, now]} (ringSize = ceil(window/bucket) + 2),
 * so every interval of length window + bucket ending at an admission holds at most the budget; hence every
 * interval of length window does, wherever the server puts its window boundaries, and admission times may drift
 * by up to one bucket against the server's clock without crossing the limit. The price is that a request is
 * remembered up to two buckets longer than the window: sustained throughput is window / (window + 2 buckets) of
 * the budget (98.4 % with 120 buckets of 5 s).
 *
 * <p>Not thread-safe: guarded by the owning key's lock. Times are nanoseconds from the policy's origin (>= 0).
 */
final class WindowBudget {

    private long bucketNanos;
    private int[] counts;
    /** Index (time / bucketNanos) of the newest bucket. */
    private long head;
    private int total;

    WindowBudget(long bucketNanos, int ringSize, long now) {
        this.bucketNanos = bucketNanos;
        this.counts = new int[ringSize];
        this.head = Math.floorDiv(now, bucketNanos);
    }

    /** Drops the buckets that have left the ring by {@code now}. */
    void advance(long now) {
        long idx = Math.floorDiv(now, bucketNanos);
        if (idx <= head) {
            return;
        }
        if (idx - head >= counts.length) {
            Arrays.fill(counts, 0);
            total = 0;
        } else {
            for (long i = head + 1; i <= idx; i++) {
                int slot = slot(i);
                total -= counts[slot];
                counts[slot] = 0;
            }
        }
        head = idx;
    }

    boolean fits(int requests, int budget) {
        return total + requests <= budget;
    }

    void take(int requests) {
        counts[slot(head)] += requests;
        total += requests;
    }

    int total() {
        return total;
    }

    /**
     * Nanoseconds from {@code now} until {@code requests} more fit, if nothing else is taken meanwhile;
     * 0 if they fit now, {@link Long#MAX_VALUE} if they never can (more than the budget).
     */
    long nanosUntilFits(int requests, int budget, long now) {
        int excess = total + requests - budget;
        if (excess <= 0) {
            return 0;
        }
        if (requests > budget) {
            return Long.MAX_VALUE;
        }
        int freed = 0;
        for (long i = head - counts.length + 1; i <= head; i++) {
            freed += counts[slot(i)];
            if (freed >= excess) {
                // bucket i leaves the ring when the newest bucket is i + ringSize
                long leavesAt = (i + counts.length) * bucketNanos;
                return Math.max(1, leavesAt - now);
            }
        }
        return Long.MAX_VALUE;
    }

    /**
     * Changes the bucket length and ring size (window reconfigured) without forgetting requests unsafely: each old
     * bucket's count moves to the new bucket holding the old bucket's last instant (never past now), i.e. counts
     * only move later in time, so they are remembered at least as long as before.
     */
    void reshape(long newBucketNanos, int newRingSize, long now) {
        if (newBucketNanos == bucketNanos && newRingSize == counts.length) {
            return;
        }
        long[] oldIdx = new long[counts.length];
        int[] oldCounts = new int[counts.length];
        int n = 0;
        for (long i = head - counts.length + 1; i <= head; i++) {
            int c = counts[slot(i)];
            if (c > 0) {
                oldIdx[n] = i;
                oldCounts[n] = c;
                n++;
            }
        }
        long oldBucket = bucketNanos;
        bucketNanos = newBucketNanos;
        counts = new int[newRingSize];
        total = 0;
        long newHead = Math.floorDiv(now, newBucketNanos);
        head = newHead;
        long oldest = newHead - newRingSize + 1;
        for (int k = 0; k < n; k++) {
            long lastInstant = (oldIdx[k] + 1) * oldBucket - 1;
            long idx = Math.min(newHead, Math.floorDiv(lastInstant, newBucketNanos));
            if (idx >= oldest) {
                counts[slot(idx)] += oldCounts[k];
                total += oldCounts[k];
            }
        }
    }

    private int slot(long idx) {
        return (int) Math.floorMod(idx, (long) counts.length);
    }
}
