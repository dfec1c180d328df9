package io.mlconnector.simulators.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP/1.1 server on the JDK's {@code com.sun.net.httpserver}, bound to 127.0.0.1, with regex routes,
 * per-route fault injection, a request log and the shared {@code /_sim/} control routes
 * (see the package documentation).
 *
 * <p>Requests run on a cached thread pool so that a held ("timeout") request never blocks the others.
 */
public final class SimulatorHttpServer implements AutoCloseable {

    private static final Pattern GROUP_REF = Pattern.compile("\\{(\\d+)}");

    static {
        configureJdkHttpServer();
    }

    /**
     * Turns on TCP_NODELAY for every JDK {@code HttpServer} of this JVM. Without it the server's separate header
     * and body writes meet the client's delayed ACK and every response takes ~40 ms. The JDK reads the setting
     * once, when the first {@code HttpServer} is created: a test that creates a bare {@code HttpServer} (e.g. a
     * webhook receiver) before any simulator should call this first.
     */
    public static void configureJdkHttpServer() {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private record Route(String method, Pattern path, String nameTemplate, SimHandler handler, boolean control) {
        String name(Matcher m) {
            Matcher ref = GROUP_REF.matcher(nameTemplate);
            StringBuilder out = new StringBuilder();
            while (ref.find()) {
                String g = m.group(Integer.parseInt(ref.group(1)));
                ref.appendReplacement(out, Matcher.quoteReplacement(g == null ? "" : SimRequest.decode(g, false)));
            }
            ref.appendTail(out);
            return out.toString();
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final FaultInjector faults;
    private final RequestLog log;

    private SimulatorHttpServer(int port, long faultSeed) throws IOException {
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "sim-http-" + port + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.faults = new FaultInjector(faultSeed);
        this.log = new RequestLog(20_000);
        server.setExecutor(executor);
        server.createContext("/", this::dispatch);
        registerControlRoutes();
        server.start();
    }

    /** Starts on {@code port} (0 = a free port) with fault draws seeded by 42. */
    public static SimulatorHttpServer start(int port) throws IOException {
        return start(port, 42L);
    }

    public static SimulatorHttpServer start(int port, long faultSeed) throws IOException {
        return new SimulatorHttpServer(port, faultSeed);
    }

    /**
     * Adds a route. {@code pathRegex} must match the whole raw path (percent-encoded, matrix parameters
     * included). {@code routeName} names the route in counters and fault rules; {@code {n}} in it is
     * replaced by regex group n, e.g. {@code "m3.{2}.{3}"} gives {@code m3.PPS200MI.GetHead}.
     */
    public SimulatorHttpServer route(String method, String pathRegex, String routeName, SimHandler handler) {
        routes.add(new Route(method, Pattern.compile(pathRegex), routeName, handler, false));
        return this;
    }

    /** Adds a control route: its path must start with {@code /_sim/}; it is never faulted nor logged. */
    public SimulatorHttpServer controlRoute(String method, String pathRegex, SimHandler handler) {
        if (!pathRegex.startsWith("/_sim/")) {
            throw new IllegalArgumentException("control routes live under /_sim/: " + pathRegex);
        }
        routes.add(new Route(method, Pattern.compile(pathRegex), "_sim", handler, true));
        return this;
    }

    /** The names of the routes added with {@link #route}, in the order added, each once ({@code {n}} unreplaced). */
    public List<String> routeNames() {
        return routes.stream().filter(r -> !r.control()).map(Route::nameTemplate).distinct().toList();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:PORT}, without a trailing slash. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public FaultInjector faults() {
        return faults;
    }

    public RequestLog log() {
        return log;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void registerControlRoutes() {
        controlRoute("GET", "/_sim/requests", req -> {
            String limit = req.query().get("limit");
            return SimResponse.json(200, log.entries(req.query().get("route"),
                    limit == null ? Integer.MAX_VALUE : Integer.parseInt(limit)));
        });
        controlRoute("DELETE", "/_sim/requests", req -> {
            log.clear();
            return SimResponse.empty(204);
        });
        controlRoute("GET", "/_sim/counters", req -> SimResponse.json(200, log.snapshot()));
        controlRoute("GET", "/_sim/faults", req -> SimResponse.json(200, faults.rules()));
        controlRoute("POST", "/_sim/faults", req -> {
            JsonNode body = req.json();
            List<FaultRule> added = new ArrayList<>();
            if (body.isArray()) {
                body.forEach(node -> added.add(FaultRule.fromJson(node)));
            } else {
                if (body.has("seed")) {
                    faults.reseed(body.get("seed").asLong());
                }
                added.add(FaultRule.fromJson(body));
            }
            added.forEach(faults::add);
            return SimResponse.json(201, added);
        });
        controlRoute("DELETE", "/_sim/faults", req -> {
            faults.clear();
            return SimResponse.empty(204);
        });
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String method = exchange.getRequestMethod();
            String rawPath = exchange.getRequestURI().getRawPath();
            String rawQuery = exchange.getRequestURI().getRawQuery();
            String client = exchange.getRemoteAddress().getAddress().getHostAddress() + ":" + exchange.getRemoteAddress().getPort();
            Route route = null;
            Matcher match = null;
            boolean pathKnown = false;
            for (Route candidate : routes) {
                Matcher m = candidate.path.matcher(rawPath);
                if (m.matches()) {
                    pathKnown = true;
                    if (candidate.method.equalsIgnoreCase(method)) {
                        route = candidate;
                        match = m;
                        break;
                    }
                }
            }
            if (route == null) {
                int status = pathKnown ? 405 : 404;
                log.record(method, rawPath, rawQuery, "unrouted", status, micros(started), null, client);
                send(exchange, SimResponse.json(status, Map.of("error", status == 405 ? "method not allowed" : "no such path")));
                return;
            }
            String name = route.control ? "_sim" : route.name(match);
            SimRequest request = new SimRequest(method, rawPath, rawQuery, exchange.getRequestHeaders(), body, match, name, false,
                    client);
            FaultInjector.Decision fault = route.control ? null : faults.decide(name);
            SimResponse response = answer(route, request, fault);
            // Recorded before sending, so a client that has its answer also sees it counted.
            if (!route.control) {
                log.record(method, rawPath, rawQuery, name, response.status(), micros(started),
                        fault == null ? null : fault.rule().kind().name().toLowerCase(Locale.ROOT), client);
            }
            send(exchange, response);
        } catch (IOException clientGone) {
            // The client hung up (typically during an injected timeout); nothing left to answer.
        }
    }

    /**
     * Serves a request made inside another one, as Asana's batch API makes them: routed and counted under its own
     * route like a request of its own, marked {@link SimRequest#nested()}, and without faults, which apply to the
     * request that carries it. Null when no route takes it.
     */
    public SimResponse serveNested(SimRequest carrier, String method, String rawPath, String rawQuery,
                                   Map<String, List<String>> headers, byte[] body) {
        long started = System.nanoTime();
        for (Route route : routes) {
            Matcher match = route.path.matcher(rawPath);
            if (!route.control && route.method.equalsIgnoreCase(method) && match.matches()) {
                String name = route.name(match);
                SimResponse response = answer(route,
                        new SimRequest(method, rawPath, rawQuery, headers, body, match, name, true, carrier.client()), null);
                log.record(method, rawPath, rawQuery, name, response.status(), micros(started), null, carrier.client());
                return response;
            }
        }
        return null;
    }

    private static SimResponse answer(Route route, SimRequest request, FaultInjector.Decision fault) {
        if (fault != null) {
            FaultRule rule = fault.rule();
            switch (rule.kind()) {
                case STATUS -> {
                    SimResponse r = SimResponse.json(fault.status(), Map.of("error", "injected fault", "status", fault.status()));
                    if (rule.retryAfterSeconds() != null) {
                        r.header("Retry-After", String.valueOf(rule.retryAfterSeconds()));
                    }
                    return r;
                }
                case TIMEOUT -> {
                    sleep(rule.millis());
                    return SimResponse.json(504, Map.of("error", "gateway timeout (injected)"));
                }
                case MALFORMED -> {
                    return SimResponse.raw(200, "application/json", "{\"results\":[{\"transaction\":\"");
                }
                case LATENCY -> sleep(rule.millis());
            }
        }
        try {
            return route.handler.handle(request);
        } catch (IllegalArgumentException e) {
            return SimResponse.json(400, errorBody(e));
        } catch (Exception e) {
            return SimResponse.json(500, errorBody(e));
        }
    }

    private static Map<String, Object> errorBody(Exception e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.getClass().getSimpleName());
        body.put("message", String.valueOf(e.getMessage()));
        return body;
    }

    private static void send(HttpExchange exchange, SimResponse response) throws IOException {
        response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        byte[] body = response.body();
        boolean noBody = body.length == 0 || "HEAD".equalsIgnoreCase(exchange.getRequestMethod());
        exchange.sendResponseHeaders(response.status(), noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long micros(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000;
    }
}
