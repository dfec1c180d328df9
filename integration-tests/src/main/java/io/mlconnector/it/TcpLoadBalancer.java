package io.mlconnector.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP (layer-4) load balancer on 127.0.0.1 in front of every worker of a Connect group, as a cloud network load
 * balancer with TCP health checks would stand in front of the hosts: each connection goes, round robin, to a
 * backend that accepts one; a backend that refuses (its worker runs no listener, or is dead) is skipped. Bytes are
 * piped both ways unchanged, TLS included. Connections are bounded, and idle ones are closed.
 */
public final class TcpLoadBalancer implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MS = 1000;
    private static final int IDLE_TIMEOUT_MS = 60_000;
    private static final int MAX_CONNECTIONS = 64;

    private final List<Integer> backendPorts;
    private final ServerSocket server;
    private final ExecutorService pipes = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tcp-load-balancer");
        t.setDaemon(true);
        return t;
    });
    private final Semaphore connections = new Semaphore(MAX_CONNECTIONS);
    private final AtomicInteger next = new AtomicInteger();
    private final Map<Integer, AtomicLong> routed = new ConcurrentHashMap<>();
    private final AtomicLong unroutable = new AtomicLong();

    private TcpLoadBalancer(List<Integer> backendPorts) throws IOException {
        this.backendPorts = List.copyOf(backendPorts);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    /** Listens on a free port of 127.0.0.1 and routes to the given ports of 127.0.0.1. */
    public static TcpLoadBalancer start(List<Integer> backendPorts) throws IOException {
        TcpLoadBalancer balancer = new TcpLoadBalancer(backendPorts);
        Thread acceptor = new Thread(balancer::acceptLoop, "tcp-load-balancer-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return balancer;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections routed to each backend port so far. */
    public Map<Integer, Long> routedPerBackend() {
        Map<Integer, Long> copy = new ConcurrentHashMap<>();
        routed.forEach((port, count) -> copy.put(port, count.get()));
        return copy;
    }

    /** Connections closed because no backend accepted one. */
    public long unroutable() {
        return unroutable.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (!connections.tryAcquire()) {
                    client.close();
                    continue;
                }
                pipes.execute(() -> {
                    try {
                        route(client);
                    } finally {
                        connections.release();
                    }
                });
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void route(Socket client) {
        try (client) {
            Socket backend = connectToAny();
            if (backend == null) {
                unroutable.incrementAndGet();
                return;
            }
            try (backend) {
                client.setSoTimeout(IDLE_TIMEOUT_MS);
                backend.setSoTimeout(IDLE_TIMEOUT_MS);
                var upstream = pipes.submit(() -> pipe(client, backend));
                pipe(backend, client);
                upstream.get(IDLE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            }
        } catch (Exception done) {
            // either side closed, timed out or reset: the connection is over, as it would be at a real balancer
        }
    }

    private Socket connectToAny() {
        int start = Math.floorMod(next.getAndIncrement(), backendPorts.size());
        for (int i = 0; i < backendPorts.size(); i++) {
            int port = backendPorts.get((start + i) % backendPorts.size());
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), CONNECT_TIMEOUT_MS);
                routed.computeIfAbsent(port, p -> new AtomicLong()).incrementAndGet();
                return socket;
            } catch (IOException refused) {
                closeQuietly(socket);
            }
        }
        return null;
    }

    /** Copies until end of stream, then half-closes the other side, so that the answer can still come back. */
    private static Void pipe(Socket from, Socket to) throws IOException {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        byte[] buffer = new byte[16 * 1024];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (SocketException closed) {
            closeQuietly(to);
        }
        return null;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all that was left to do
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            pipes.shutdownNow();
        }
    }
}
