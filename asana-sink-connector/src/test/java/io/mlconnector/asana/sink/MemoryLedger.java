package io.mlconnector.asana.sink;

import io.mlconnector.connect.ledger.LedgerEntry;
import io.mlconnector.connect.ledger.TaskLedger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/** The task ledger as a list, for tests: what Kafka would keep, read from the start by every reader. */
final class MemoryLedger implements TaskLedger.Connection {

    private final List<Map.Entry<String, LedgerEntry>> log = new ArrayList<>();

    @Override
    public synchronized void append(LedgerEntry entry) {
        log.add(new java.util.AbstractMap.SimpleEntry<>(entry.ledgerKey(), entry));
    }

    @Override
    public synchronized void remove(LedgerEntry entry) {
        log.add(new java.util.AbstractMap.SimpleEntry<>(entry.ledgerKey(), null));
    }

    @Override
    public void awaitAppended() {
    }

    @Override
    public synchronized void catchUp(BiConsumer<String, LedgerEntry> each) {
        log.forEach(e -> each.accept(e.getKey(), e.getValue()));
    }

    @Override
    public void close() {
    }

    synchronized List<LedgerEntry> entries() {
        return log.stream().map(Map.Entry::getValue).filter(java.util.Objects::nonNull).toList();
    }
}
