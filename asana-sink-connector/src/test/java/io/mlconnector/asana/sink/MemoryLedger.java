package io.mlconnector.asana.sink;

import io.mlconnector.connect.ledger.LedgerEntry;
import io.mlconnector.connect.ledger.TaskLedger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/** The task ledger as a list, for tests: what Kafka would keep, read on from the last position as Kafka's reader does. */
final class MemoryLedger implements TaskLedger.Connection {

    private final List<Map.Entry<String, LedgerEntry>> log = new ArrayList<>();
    private int position;

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
        for (; position < log.size(); position++) {
            each.accept(log.get(position).getKey(), log.get(position).getValue());
        }
    }

    @Override
    public synchronized void rewind() {
        position = 0;
    }

    @Override
    public void close() {
    }

    synchronized List<LedgerEntry> entries() {
        return log.stream().map(Map.Entry::getValue).filter(java.util.Objects::nonNull).toList();
    }
}
