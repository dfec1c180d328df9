package io.mlconnector.simulators.common;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * Decides, per request, whether a fault replaces or delays the normal answer.
 *
 * <p>Rules are checked in the order they were added; the first one that matches the route and wins its
 * percentage draw fires. Draws come from one {@link Random} seeded at construction (or by
 * {@link #reseed}), so a single-threaded test sees the same faults on every run.
 */
public final class FaultInjector {

    /** Remaining budget of a rule; {@code -1} means unlimited. */
    private static final class Armed {
        final FaultRule rule;
        int remaining;

        Armed(FaultRule rule) {
            this.rule = rule;
            this.remaining = rule.count();
        }
    }

    private final List<Armed> rules = new ArrayList<>();
    private Random random;

    public FaultInjector(long seed) {
        this.random = new Random(seed);
    }

    public synchronized void add(FaultRule rule) {
        rules.add(new Armed(rule));
    }

    public synchronized void clear() {
        rules.clear();
    }

    public synchronized void reseed(long seed) {
        random = new Random(seed);
    }

    /** The rules still armed, for {@code GET /_sim/faults}. */
    public synchronized List<FaultRule> rules() {
        return rules.stream().map(a -> a.rule).toList();
    }

    /** The fault to apply to a call on {@code routeName}, with the status already chosen; null for none. */
    public synchronized Decision decide(String routeName) {
        for (Iterator<Armed> it = rules.iterator(); it.hasNext(); ) {
            Armed armed = it.next();
            FaultRule rule = armed.rule;
            if (!rule.matches(routeName)) {
                continue;
            }
            if (rule.percent() < 100 && random.nextDouble() * 100 >= rule.percent()) {
                continue;
            }
            if (armed.remaining > 0 && --armed.remaining == 0) {
                it.remove();
            }
            int status = rule.statuses().get(random.nextInt(rule.statuses().size()));
            return new Decision(rule, status);
        }
        return null;
    }

    /** A fault that fired: the rule and, for {@link FaultRule.Kind#STATUS}, the status picked. */
    public record Decision(FaultRule rule, int status) {
    }
}
