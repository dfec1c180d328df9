package io.mlconnector.connect.http;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A connection's input, read against an absolute deadline. Every read waits only for the time left (the
 * socket's SO_TIMEOUT is set to it before each read), so a client that sends a byte now and then cannot
 * stretch a request past its deadline: each byte shortens the next wait instead of renewing it.
 *
 * <p>SO_TIMEOUT bounds one read of the network. Under TLS one read of ours may span many of those (a handshake,
 * a record trickled in), and a response write to a client that does not read is not bounded by it at all; so a
 * watchdog also closes the network socket a little after the deadline, should anything still wait then.
 */
final class DeadlineInput extends InputStream {

    /** Left to SO_TIMEOUT, which fires first on plain reads, so that a cut-off request can still be answered 408. */
    private static final long WATCHDOG_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final Socket socket;
    private final Socket network;
    private final InputStream in;
    private final ScheduledExecutorService watchdog;
    private long deadline;
    private ScheduledFuture<?> alarm;

    /**
     * @param socket  what reads go through (the TLS socket under TLS)
     * @param network the TCP connection beneath, which the watchdog closes
     */
    DeadlineInput(Socket socket, Socket network, ScheduledExecutorService watchdog) throws IOException {
        this.socket = socket;
        this.network = network;
        this.in = new BufferedInputStream(socket.getInputStream(), 8192);
        this.watchdog = watchdog;
    }

    /** Sets the deadline, as a {@link System#nanoTime()} value, for the reads and the write that follow. */
    void until(long deadlineNanos) {
        deadline = deadlineNanos;
        if (alarm != null) {
            alarm.cancel(false);
        }
        alarm = watchdog.schedule(this::closeNetwork, deadlineNanos - System.nanoTime() + WATCHDOG_SLACK_NANOS,
                TimeUnit.NANOSECONDS);
    }

    boolean expired() {
        return System.nanoTime() - deadline >= 0;
    }

    /** Waits for the next byte without taking it; false at the end of the stream. */
    boolean awaitData() throws IOException {
        arm();
        in.mark(1);
        int next = in.read();
        in.reset();
        return next >= 0;
    }

    @Override
    public int read() throws IOException {
        arm();
        return in.read();
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        arm();
        return in.read(buffer, offset, length);
    }

    /** Stops the watchdog; the connection itself is closed by its owner. */
    @Override
    public void close() {
        if (alarm != null) {
            alarm.cancel(false);
        }
    }

    private void arm() throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(left) + 1));
    }

    private void closeNetwork() {
        try {
            network.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }
}
