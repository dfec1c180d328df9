package io.mlconnector.infor.source;

import io.mlconnector.infor.IonException;
import io.mlconnector.infor.IonHttpException;
import io.mlconnector.infor.records.Entity;
import java.time.Duration;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a task's pages on a thread of its own, ahead of {@code poll()}: the next ION round trips run while Connect
 * converts and sends the page before (and, with exactly-once, commits its transaction). A second thread turns each
 * page's rows into records while the next page is read, so only the round trips and the parsing of the answers lie
 * between one request and the next. At most {@link #AHEAD} pages wait, so a backlog never piles up in memory, and
 * one request per task is in flight, as without read-ahead.
 *
 * <p>Readers are queued by when each is next due (the kafka-connect-jdbc querier pattern): a reader with a backlog
 * is due again at once, behind the others that are due, and a caught-up one after its entity's poll interval. A
 * call that failed for now (429, 5xx, no answer, all after the client's own retries) is tried again later; any
 * other failure ends reading and is handed to {@code poll()} after the pages read before it.
 */
final class ReadAhead implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReadAhead.class);
    /** Two pages: one being turned into records while the next waits, so neither side waits for the other. */
    static final int AHEAD = 2;
    private static final Duration RETRY_BACKOFF = Duration.ofSeconds(5);
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** A page of a reader, its records being made or made, or the failure that ended reading, as poll() throws it. */
    record Fetched(ChangeReader reader, int size, CompletableFuture<List<ChangeReader.Read>> records, RuntimeException failure) {
        /** The page's records, once made; a failure to make them is thrown as it was raised. */
        List<ChangeReader.Read> reads() {
            try {
                return records.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
    }

    /** A reader and when it is next due; the sequence makes readers with equal due times take turns. */
    private record Due(long at, long seq, ChangeReader reader) {
    }

    private final PriorityQueue<Due> due = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private final BlockingQueue<Fetched> pages = new ArrayBlockingQueue<>(AHEAD);
    private final int pageLimit;
    private final Function<Entity, Duration> pollInterval;
    private final Thread thread;
    private final ExecutorService mapper;
    private long seq;
    private volatile boolean waitingForDue;
    private volatile boolean closed;
    final AtomicLong pagesRead = new AtomicLong();
    final AtomicLong apiErrors = new AtomicLong();

    ReadAhead(List<ChangeReader> readers, int pageLimit, Function<Entity, Duration> pollInterval) {
        this.pageLimit = pageLimit;
        this.pollInterval = pollInterval;
        long now = System.currentTimeMillis();
        readers.forEach(r -> due.add(new Due(now, seq++, r)));
        int n = THREADS.incrementAndGet();
        mapper = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "infor-source-records-" + n);
            t.setDaemon(true);
            return t;
        });
        thread = new Thread(this::run, "infor-source-read-ahead-" + n);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The next page, waiting as long as one is being read; null when no reader is due within {@code idleMs}, so
     * that {@code poll()} returns now and then.
     */
    Fetched take(long idleMs) throws InterruptedException {
        while (true) {
            Fetched next = pages.poll(idleMs, TimeUnit.MILLISECONDS);
            if (next != null || waitingForDue || closed || !thread.isAlive()) {
                return next;
            }
        }
    }

    /** The next page if it is already read and holds at most {@code room} records (a failure always fits). */
    Fetched takeIfFits(int room) {
        Fetched next = pages.peek();
        return next != null && next.size() <= room ? pages.poll() : null;
    }

    /** Pages read and not yet taken: at {@link #AHEAD}, Kafka is what keeps the task waiting; at 0, ION is. */
    int waiting() {
        return pages.size();
    }

    private void run() {
        try {
            boolean reading = true;
            while (reading && !closed) {
                Due next = due.peek();
                long wait = next.at - System.currentTimeMillis();
                if (wait > 0) {
                    waitingForDue = true;
                    Thread.sleep(wait);
                    waitingForDue = false;
                    continue;
                }
                due.remove();
                reading = read(next.reader);
            }
        } catch (InterruptedException | RejectedExecutionException closing) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads the reader's next page and queues it; false once reading failed for good. */
    private boolean read(ChangeReader reader) throws InterruptedException {
        long now = System.currentTimeMillis();
        ChangeReader.Page page;
        try {
            page = reader.read(pageLimit);
        } catch (IonHttpException e) {
            apiErrors.incrementAndGet();
            if (e.status() != 0 && e.status() != 429 && e.status() < 500) {
                return fail(reader, e);
            }
            log.warn("Reading {} failed for now, retried in {}: {}", reader.partition(), RETRY_BACKOFF, e.getMessage());
            due.add(new Due(now + RETRY_BACKOFF.toMillis(), seq++, reader));
            return true;
        } catch (RuntimeException e) {
            if (e instanceof IonException) {
                apiErrors.incrementAndGet();
            }
            return fail(reader, e);
        }
        pagesRead.incrementAndGet();
        if (page.size() > 0) {
            pages.put(new Fetched(reader, page.size(), CompletableFuture.supplyAsync(page.records(), mapper), null));
        }
        long nextAt = page.more() ? now : now + pollInterval.apply(reader.partition().entity()).toMillis();
        due.add(new Due(nextAt, seq++, reader));
        return true;
    }

    /** Reading stops: the failure waits behind the pages read before it, and the task fails once it takes it. */
    private boolean fail(ChangeReader reader, RuntimeException e) throws InterruptedException {
        RuntimeException failure = e instanceof IonException
                ? new ConnectException("Reading " + reader.partition() + " failed: " + e.getMessage(), e) : e;
        pages.put(new Fetched(reader, 0, null, failure));
        return false;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        mapper.shutdownNow();
    }

    /** Waits for the thread to end, e.g. after the ION client was closed under a request in flight. */
    void awaitClosed(Duration timeout) {
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
