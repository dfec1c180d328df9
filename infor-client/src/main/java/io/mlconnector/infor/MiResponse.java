package io.mlconnector.infor;

import java.util.List;

/** The records an MI transaction returned, in order. */
public final class MiResponse {

    private final String program;
    private final String transaction;
    private final List<MiRecord> records;

    MiResponse(String program, String transaction, List<MiRecord> records) {
        this.program = program;
        this.transaction = transaction;
        this.records = List.copyOf(records);
    }

    public String program() {
        return program;
    }

    public String transaction() {
        return transaction;
    }

    public List<MiRecord> records() {
        return records;
    }

    /** The only record (Get transactions); throws when there is not exactly one. */
    public MiRecord single() {
        if (records.size() != 1) {
            throw new IonException(program + "/" + transaction + " returned " + records.size() + " records, expected 1");
        }
        return records.get(0);
    }

    @Override
    public String toString() {
        return "MiResponse{" + program + "/" + transaction + ", records=" + records.size() + "}";
    }
}
