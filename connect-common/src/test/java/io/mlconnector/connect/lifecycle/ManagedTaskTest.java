package io.mlconnector.connect.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class ManagedTaskTest {

    /** A source that cannot reach its service for the first {@code failures} start-ups. */
    static final class FlakySource extends ManagedSourceTask {
        final List<String> events = new CopyOnWriteArrayList<>();
        int failures;
        int attempts;
        ExecutorService pool;

        FlakySource(int failures) {
            this.failures = failures;
        }

        @Override
        public String version() {
            return "test";
        }

        @Override
        protected void startTask(Map<String, String> settings, TaskResources resources) {
            int attempt = ++attempts;
            resources.own(() -> events.add("closed client " + attempt));
            if (attempt <= failures) {
                throw new RetriableException("the service is out of reach");
            }
            if ("bad".equals(settings.get("setting"))) {
                throw new ConfigException("setting", "bad", "not a valid value");
            }
            pool = resources.threads("flaky-source-worker", 2);
            resources.own(() -> events.add("closed endpoint " + attempt));
        }

        @Override
        protected List<SourceRecord> pollRecords() {
            return List.of(new SourceRecord(Map.of(), Map.of(), "topic", null, "value"));
        }

        @Override
        protected void stopTask() {
            events.add("stopTask");
        }
    }

    @Test
    void aStartUpThatCannotReachItsServiceIsTriedAgainFromPollAndItsResourcesGivenBack() throws Exception {
        FlakySource task = new FlakySource(1);
        task.start(Map.of("setting", "good"));
        assertEquals(List.of("closed client 1"), task.events, "the failed attempt gave back what it took");
        assertEquals(1, task.attempts, "the task did not fail: its start is retried from poll");

        List<SourceRecord> records = null;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (records == null && System.nanoTime() < deadline) {
            records = task.poll(); // each poll waits up to a second for the retried start
        }
        assertEquals(1, records.size(), "started on the second attempt");
        assertEquals(2, task.attempts);

        CountDownLatch running = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        task.pool.execute(() -> {
            running.countDown();
            try {
                Thread.sleep(60_000); // a call in flight when the task stops
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        });
        running.await();
        task.stop();
        assertTrue(interrupted.get(), "the executor was interrupted and awaited before stop returned");
        assertTrue(task.pool.isTerminated());
        assertEquals(List.of("closed client 1", "stopTask", "closed endpoint 2", "closed client 2"), task.events,
                "stopTask first, then the resources, the last taken first");
    }

    @Test
    void anyOtherStartUpFailureFailsTheTaskAndGivesBackItsResources() {
        FlakySource task = new FlakySource(0);
        assertThrows(ConfigException.class, () -> task.start(Map.of("setting", "bad")));
        assertEquals(List.of("closed client 1"), task.events);
    }

    @Test
    void aStoppedTaskThatNeverStartedStopsCleanly() throws Exception {
        FlakySource task = new FlakySource(100);
        task.start(Map.of());
        task.stop();
        assertNull(task.poll(), "a poll after stop neither starts the task nor fails");
        assertEquals(1, task.attempts);
    }

    static final class FlakySink extends ManagedSinkTask {
        final List<SinkRecord> written = new ArrayList<>();
        int failures;

        FlakySink(int failures) {
            this.failures = failures;
        }

        @Override
        public String version() {
            return "test";
        }

        @Override
        protected void startTask(Map<String, String> settings, TaskResources resources) {
            if (failures-- > 0) {
                throw new RetriableException("the service is out of reach");
            }
        }

        @Override
        protected void putRecords(Collection<SinkRecord> records) {
            written.addAll(records);
        }
    }

    @Test
    void aSinkThatCouldNotStartHandsEachBatchBackUntilItHasStarted() throws Exception {
        FlakySink task = new FlakySink(1);
        AtomicLong timeout = new AtomicLong();
        task.initialize(new Context(timeout));
        task.start(Map.of());
        List<SinkRecord> batch = List.of(new SinkRecord("topic", 0, null, null, null, "value", 7));

        RetriableException handedBack = assertThrows(RetriableException.class, () -> task.put(batch));
        assertTrue(handedBack.getMessage().contains("not started"), handedBack.getMessage());
        assertTrue(timeout.get() > 0 && timeout.get() <= 1_000, "Connect redelivers when the next start is due: "
                + timeout.get());
        assertFalse(task.written.contains(batch.get(0)));

        long deadline = System.nanoTime() + 10_000_000_000L;
        while (task.written.isEmpty() && System.nanoTime() < deadline) {
            try {
                task.put(batch);
            } catch (RetriableException notYet) {
                Thread.sleep(timeout.get()); // as Connect does: redeliver after the timeout the task asked for
            }
        }
        assertSame(batch.get(0), task.written.get(0));
        task.stop();
    }

    private record Context(AtomicLong timeout) implements SinkTaskContext {
        @Override
        public Map<String, String> configs() {
            return Map.of();
        }

        @Override
        public void offset(Map<TopicPartition, Long> offsets) {
        }

        @Override
        public void offset(TopicPartition tp, long offset) {
        }

        @Override
        public void timeout(long timeoutMs) {
            timeout.set(timeoutMs);
        }

        @Override
        public Set<TopicPartition> assignment() {
            return Set.of();
        }

        @Override
        public void pause(TopicPartition... partitions) {
        }

        @Override
        public void resume(TopicPartition... partitions) {
        }

        @Override
        public void requestCommit() {
        }

        @Override
        public PluginMetrics pluginMetrics() {
            return null;
        }
    }
}
