package io.mlconnector.simulators.common;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The requests a simulator answered: the most recent {@code capacity} entries, plus counters that are
 * never trimmed (calls per route, calls per route and status, and named counters such as logins).
 */
public final class RequestLog {

    /**
     * One answered request. {@code at} is the ISO-8601 instant it was answered, {@code micros} after it arrived;
     * {@code fault} the injected fault kind or null; {@code client} the address and port it came from, which names
     * the connection (for a request inside a batch, that of the batch).
     */
    public record Entry(long seq, String at, String method, String path, String query, String route, int status,
                        long micros, String fault, String client) {
    }

    private final int capacity;
    private final Deque<Entry> entries = new ArrayDeque<>();
    private final AtomicLong seq = new AtomicLong();
    private final Map<String, LongAdder> routeCalls = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> routeStatus = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> named = new ConcurrentHashMap<>();

    public RequestLog(int capacity) {
        this.capacity = capacity;
    }

    public void record(String method, String path, String query, String route, int status, long micros,
                       String fault, String client) {
        Entry entry = new Entry(seq.incrementAndGet(), Instant.now().toString(), method, path, query, route, status, micros,
                fault, client);
        routeCalls.computeIfAbsent(route, k -> new LongAdder()).increment();
        routeStatus.computeIfAbsent(route + " " + status, k -> new LongAdder()).increment();
        synchronized (entries) {
            entries.addLast(entry);
            if (entries.size() > capacity) {
                entries.removeFirst();
            }
        }
    }

    /** Bumps a named counter, e.g. {@code oauth.logins} or {@code unauthorized}. */
    public void increment(String counter) {
        add(counter, 1);
    }

    public void add(String counter, long amount) {
        named.computeIfAbsent(counter, k -> new LongAdder()).add(amount);
    }

    public long counter(String counter) {
        LongAdder adder = named.get(counter);
        return adder == null ? 0 : adder.sum();
    }

    /** Calls answered on every route, faults included. */
    public long calls() {
        return routeCalls.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Calls answered on one route, faults included. */
    public long calls(String route) {
        LongAdder adder = routeCalls.get(route);
        return adder == null ? 0 : adder.sum();
    }

    /** Calls on one route answered with one status. */
    public long calls(String route, int status) {
        LongAdder adder = routeStatus.get(route + " " + status);
        return adder == null ? 0 : adder.sum();
    }

    /** Calls answered with {@code status} on any route. */
    public long callsWithStatus(int status) {
        String suffix = " " + status;
        return routeStatus.entrySet().stream().filter(e -> e.getKey().endsWith(suffix))
                .mapToLong(e -> e.getValue().sum()).sum();
    }

    /** Recent entries, oldest first; {@code routeGlob} as in {@link FaultRule#matches}, null for all. */
    public List<Entry> entries(String routeGlob, int limit) {
        FaultRule filter = routeGlob == null ? null : FaultRule.status(routeGlob, 500, 1);
        List<Entry> out = new ArrayList<>();
        synchronized (entries) {
            for (Entry e : entries) {
                if (filter == null || filter.matches(e.route())) {
                    out.add(e);
                }
            }
        }
        return out.size() > limit ? out.subList(out.size() - limit, out.size()) : out;
    }

    public void clear() {
        synchronized (entries) {
            entries.clear();
        }
        routeCalls.clear();
        routeStatus.clear();
        named.clear();
    }

    /** The body of {@code GET /_sim/counters}. */
    public Map<String, Object> snapshot() {
        Map<String, Object> routes = new TreeMap<>();
        routeCalls.forEach((route, calls) -> {
            Map<String, Long> statuses = new TreeMap<>();
            routeStatus.forEach((key, n) -> {
                int space = key.lastIndexOf(' ');
                if (key.substring(0, space).equals(route)) {
                    statuses.put(key.substring(space + 1), n.sum());
                }
            });
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("calls", calls.sum());
            one.put("statuses", statuses);
            routes.put(route, one);
        });
        Map<String, Long> counters = new TreeMap<>();
        named.forEach((k, v) -> counters.put(k, v.sum()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("routes", routes);
        out.put("counters", counters);
        return out;
    }
}
