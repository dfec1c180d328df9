package io.mlconnector.infor.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mlconnector.connect.ConnectionSettings.InforBackend;
import io.mlconnector.infor.records.Entity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

class ReadAheadTest {

    /** Hands out numbered one-row pages; {@code more} while fewer than {@code backlog} were read. */
    private static class CountingReader implements ChangeReader {
        final AtomicInteger reads = new AtomicInteger();
        final int backlog;
        final int failAt;

        CountingReader(int backlog, int failAt) {
            this.backlog = backlog;
            this.failAt = failAt;
        }

        @Override
        public SourcePartition partition() {
            return new SourcePartition("T", InforBackend.M3, Entity.PURCHASE_ORDERS, "100", "AAA");
        }

        @Override
        public Page read(int limit) {
            int n = reads.incrementAndGet();
            if (n == failAt) {
                throw new DataException("row " + n + " has no change stamp");
            }
            Read read = new Read(new Row(Map.of()), String.valueOf(n), null, null, Map.of("n", n));
            return new Page(1, n < backlog, () -> List.of(read));
        }

        @Override
        public Instant position() {
            return Instant.EPOCH;
        }
    }

    @Test
    void readsAtMostTwoPagesAheadOfPoll() throws Exception {
        CountingReader reader = new CountingReader(100, -1);
        try (ReadAhead ahead = new ReadAhead(List.of(reader), 10, e -> Duration.ofHours(1))) {
            awaitReads(reader, ReadAhead.AHEAD + 1);
            Thread.sleep(200);
            // Two pages wait and the third is read, held until there is room.
            assertEquals(ReadAhead.AHEAD + 1, reader.reads.get());
            assertEquals(ReadAhead.AHEAD, ahead.waiting());
            assertEquals("1", ahead.take(1_000).reads().get(0).number());
            awaitReads(reader, ReadAhead.AHEAD + 2);
        }
    }

    @Test
    void aFailureComesAfterThePagesReadBeforeItAndEndsReading() throws Exception {
        CountingReader reader = new CountingReader(100, 3);
        try (ReadAhead ahead = new ReadAhead(List.of(reader), 10, e -> Duration.ofHours(1))) {
            List<String> numbers = new ArrayList<>();
            numbers.add(ahead.take(1_000).reads().get(0).number());
            numbers.add(ahead.take(1_000).reads().get(0).number());
            ReadAhead.Fetched failed = ahead.take(1_000);
            assertEquals(List.of("1", "2"), numbers);
            assertEquals("row 3 has no change stamp", failed.failure().getMessage());
            assertSame(reader, failed.reader());
            assertNull(ahead.take(100));
            assertEquals(3, reader.reads.get());
        }
    }

    @Test
    void aPageWhoseRecordsCannotBeMadeThrowsWhenTakenAfterThePagesBeforeIt() throws Exception {
        AtomicInteger pages = new AtomicInteger();
        ChangeReader reader = new CountingReader(100, -1) {
            @Override
            public Page read(int limit) {
                Page page = super.read(limit);
                return pages.incrementAndGet() != 2 ? page : new Page(1, true, () -> {
                    throw new DataException("a value does not fit its schema");
                });
            }
        };
        try (ReadAhead ahead = new ReadAhead(List.of(reader), 10, e -> Duration.ofHours(1))) {
            assertEquals("1", ahead.take(1_000).reads().get(0).number());
            ReadAhead.Fetched second = ahead.take(1_000);
            DataException e = assertThrows(DataException.class, second::reads);
            assertEquals("a value does not fit its schema", e.getMessage());
            assertEquals("3", ahead.take(1_000).reads().get(0).number());
        }
    }

    @Test
    void aCaughtUpReaderWaitsForItsPollIntervalAndTakeReturnsEmptyMeanwhile() throws Exception {
        CountingReader reader = new CountingReader(2, -1);
        try (ReadAhead ahead = new ReadAhead(List.of(reader), 10, e -> Duration.ofHours(1))) {
            assertEquals("1", ahead.take(1_000).reads().get(0).number());
            assertEquals("2", ahead.take(1_000).reads().get(0).number());
            assertNull(ahead.take(100));
            assertEquals(2, reader.reads.get());
        }
    }

    @Test
    void onlyAPageThatFitsIsTakenWithoutWaiting() throws Exception {
        CountingReader reader = new CountingReader(100, -1);
        try (ReadAhead ahead = new ReadAhead(List.of(reader), 10, e -> Duration.ofHours(1))) {
            awaitReads(reader, ReadAhead.AHEAD + 1);
            assertNull(ahead.takeIfFits(0));
            assertEquals("1", ahead.takeIfFits(1).reads().get(0).number());
        }
    }

    private static void awaitReads(CountingReader reader, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (reader.reads.get() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + reader.reads.get() + " reads within 10 s, expected " + n);
            }
            Thread.sleep(10);
        }
    }
}
