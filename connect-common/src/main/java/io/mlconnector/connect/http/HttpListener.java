package io.mlconnector.connect.http;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP/1.1 server of the push endpoints (the Asana webhook, the ION IMS connection point), built on blocking
 * sockets so that it needs no dependency (the worker's Jetty changes between Kafka releases) and can be read in one
 * pass. It is made for clients that misbehave on purpose:
 *
 * <ul>
 *   <li>at most {@code maxConnections} connections are open; one more is answered 503 and closed at once;
 *   <li>each connection has its own thread (started when needed, ended when idle), so a stalled client holds only
 *       its own: the others are served as if it were not there;
 *   <li>a connection may wait {@code idleTimeout} for a request; a request must bring its line and headers within
 *       {@code headerTimeout} of its first byte and be answered within {@code requestTimeout} of it. These are
 *       absolute deadlines ({@link DeadlineInput}): trickling bytes does not extend them;
 *   <li>heads are limited in size and header count, bodies to {@code maxBodyBytes} (413);
 *   <li>only the routes' methods and paths reach the handler (404, 405 with Allow); the body is read in full first.
 * </ul>
 *
 * Keep-alive is HTTP/1.1's default; a response that leaves a body unread closes.
 */
public final class HttpListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpListener.class);
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OVER_CAPACITY = ("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
            + "Retry-After: 1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    /** What the handler answers; it sees only requests its routes allow, with their whole body. */
    public interface Handler {
        Response handle(Request request);
    }

    /** @param deadlineNanos when the request must be answered, as a {@link System#nanoTime()} value */
    public record Request(HttpRequestReader.Head head, byte[] body, long deadlineNanos) {
    }

    /** A status, headers and a body (may be empty); values must be safe to send (the handler's business). */
    public record Response(int status, Map<String, String> headers, byte[] body) {

        public Response(int status, Map<String, String> headers) {
            this(status, headers, new byte[0]);
        }

        public static Response of(int status) {
            return new Response(status, Map.of());
        }

        public static Response json(int status, String json) {
            return new Response(status, Map.of("Content-Type", "application/json; charset=utf-8"),
                    json.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** How long, and for how many bytes, a refused request's unread body is drained before the connection closes. */
    private static final Duration LINGER = Duration.ofSeconds(1);
    private static final long LINGER_BYTES = 4L * 1024 * 1024;

    private final ServerSocket server;
    private final SSLSocketFactory tls;
    private final String name;
    private final Map<String, Set<String>> routes;
    private final ListenerLimits limits;
    private final Handler handler;
    private final ThreadPoolExecutor connections;
    private final ScheduledThreadPoolExecutor watchdog;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger openCount = new AtomicInteger();
    private volatile boolean closed;
    /** Connections closed at once because {@code maxConnections} were open. */
    public final AtomicLong connectionsRefused = new AtomicLong();
    /** Requests cut off because their head or body did not arrive by its deadline. */
    public final AtomicLong requestsTimedOut = new AtomicLong();

    /**
     * @param name   what logs and thread names call the endpoint, e.g. {@code asana-webhook}
     * @param tls    null for plain HTTP
     * @param routes each path the handler serves, with the methods it takes there
     */
    public HttpListener(String name, InetSocketAddress address, SSLContext tls, Map<String, Set<String>> routes,
                        ListenerLimits limits, Handler handler) throws IOException {
        this.name = name;
        this.tls = tls == null ? null : tls.getSocketFactory();
        this.routes = Map.copyOf(routes);
        this.limits = limits;
        this.handler = handler;
        AtomicInteger count = new AtomicInteger();
        // No queue: every accepted connection gets a thread at once, idle threads end after 30 s. The cap on
        // open connections (not the pool) bounds the threads.
        connections = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                daemon(() -> name + "-connection-" + count.incrementAndGet()));
        watchdog = new ScheduledThreadPoolExecutor(1, daemon(() -> name + "-deadlines"));
        watchdog.setRemoveOnCancelPolicy(true);
        server = new ServerSocket();
        server.setReuseAddress(true);
        try {
            server.bind(address, 128);
        } catch (IOException e) {
            close();
            throw e;
        }
        daemon(() -> name + "-accept").newThread(this::acceptAll).start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections open now, for tests. */
    public int openConnections() {
        return openCount.get();
    }

    private void acceptAll() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("The {} endpoint could not accept a connection: {}", name, e.toString());
                    pauseAfterAcceptFailure();
                }
                continue;
            }
            if (openCount.incrementAndGet() > limits.maxConnections()) {
                openCount.decrementAndGet();
                refuse(socket);
                continue;
            }
            try {
                connections.execute(() -> serve(socket));
            } catch (RejectedExecutionException stopped) {
                openCount.decrementAndGet();
                closeQuietly(socket);
            }
        }
    }

    /** Over the cap: a fixed answer written into the fresh socket's empty send buffer, which cannot block. */
    private void refuse(Socket socket) {
        if (connectionsRefused.incrementAndGet() % 1000 == 1) {
            log.warn("The {} endpoint has {} connections open, its limit; further ones are refused ({} so far)",
                    name, limits.maxConnections(), connectionsRefused.get());
        }
        try (socket) {
            // Under TLS an answer would need a handshake, which a client could stall: the connection is just closed.
            if (tls == null) {
                socket.getOutputStream().write(OVER_CAPACITY);
            }
        } catch (IOException ignored) {
            // the client went first
        }
    }

    private void serve(Socket network) {
        open.add(network);
        try (network) {
            network.setTcpNoDelay(true);
            // Under TLS the handshake happens at the first read, under the idle deadline, on this thread.
            Socket socket = tls == null ? network : tls.createSocket(network, null, true);
            try (DeadlineInput in = new DeadlineInput(socket, network, watchdog)) {
                OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1024);
                boolean keepAlive = true;
                while (keepAlive && !closed) {
                    in.until(System.nanoTime() + limits.idleTimeout().toNanos());
                    if (!in.awaitData()) {
                        return;
                    }
                    keepAlive = exchange(in, out);
                }
            }
        } catch (IOException endedOrIdle) {
            // the client left, its idle time ran out, or a deadline's watchdog closed the connection
        } finally {
            open.remove(network);
            openCount.decrementAndGet();
        }
    }

    /** Reads one request and answers it; true when the connection may carry another. */
    private boolean exchange(DeadlineInput in, OutputStream out) throws IOException {
        long start = System.nanoTime();
        long deadline = start + limits.requestTimeout().toNanos();
        in.until(Math.min(start + limits.headerTimeout().toNanos(), deadline));
        HttpRequestReader reader = new HttpRequestReader(in);
        HttpRequestReader.Head head;
        byte[] body;
        try {
            head = reader.head();
            Response early = screen(head);
            if (early != null) {
                // A body left unread would be taken for the next request: such a connection is closed.
                boolean keepAlive = head.keepAlive() && !head.hasBody();
                write(out, early, keepAlive);
                if (!keepAlive) {
                    lingerBeforeClose(in);
                }
                return keepAlive;
            }
            if (head.expectsContinue()) {
                out.write(CONTINUE);
                out.flush();
            }
            in.until(deadline);
            body = reader.body(head, limits.maxBodyBytes());
            if (body == null) {
                write(out, Response.of(413), false);
                lingerBeforeClose(in);
                return false;
            }
        } catch (HttpRequestReader.Refused e) {
            write(out, Response.of(e.status), false);
            lingerBeforeClose(in);
            return false;
        } catch (IOException e) {
            if (!in.expired()) {
                throw e;
            }
            requestsTimedOut.incrementAndGet();
            try {
                write(out, Response.of(408), false);
            } catch (IOException gone) {
                // closed by the watchdog, or the client is not reading: nothing to tell it
            }
            return false;
        }
        Response response;
        try {
            response = handler.handle(new Request(head, body, deadline));
        } catch (RuntimeException e) {
            log.error("The {} endpoint failed on a request; answered 500", name, e);
            response = Response.of(500);
        }
        boolean keepAlive = head.keepAlive() && !closed;
        write(out, response, keepAlive);
        return keepAlive;
    }

    /**
     * After answering a request whose body was left unread: reads and drops what the client still sends, for a
     * moment, so that closing with unread data (a TCP reset) does not destroy our answer before the client read it.
     */
    private static void lingerBeforeClose(DeadlineInput in) {
        in.until(System.nanoTime() + LINGER.toNanos());
        byte[] discard = new byte[8192];
        long left = LINGER_BYTES;
        try {
            for (int n = 0; left > 0 && n >= 0; n = in.read(discard, 0, (int) Math.min(discard.length, left))) {
                left -= n;
            }
        } catch (IOException ignored) {
            // the client left or the moment passed: close now
        }
    }

    /** The answer for a request that must not reach the handler, or null. */
    private Response screen(HttpRequestReader.Head head) {
        Set<String> methods = routes.get(head.path());
        if (methods == null) {
            return Response.of(404);
        }
        if (!methods.contains(head.method())) {
            return new Response(405, Map.of("Allow", String.join(", ", new TreeSet<>(methods))));
        }
        if (head.contentLength() > limits.maxBodyBytes()) {
            return Response.of(413);
        }
        return null;
    }

    private static void write(OutputStream out, Response response, boolean keepAlive) throws IOException {
        StringBuilder head = new StringBuilder(128).append("HTTP/1.1 ").append(response.status()).append(' ')
                .append(reason(response.status())).append("\r\n");
        response.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Content-Length: ").append(response.body().length).append("\r\n");
        if (!keepAlive) {
            head.append("Connection: close\r\n");
        }
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(response.body());
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 202 -> "Accepted";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 412 -> "Precondition Failed";
            case 413 -> "Content Too Large";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            case 505 -> "HTTP Version Not Supported";
            default -> "Status";
        };
    }

    /** Keeps a failing accept (out of file descriptors, say) from spinning; the accept thread has nothing else to do. */
    private static void pauseAfterAcceptFailure() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemon(Supplier<String> name) {
        return r -> {
            Thread thread = new Thread(r, name.get());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    /** Stops accepting and closes every connection; requests in progress end with their connection. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
        List.copyOf(open).forEach(HttpListener::closeQuietly);
        connections.shutdownNow();
        watchdog.shutdownNow();
    }
}
