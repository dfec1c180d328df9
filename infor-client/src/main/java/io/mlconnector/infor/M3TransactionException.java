package io.mlconnector.infor;

import java.util.List;

/** M3 rejected a transaction (v1 NOK, v2 error result or v2 HTTP 400). Records returned before a partial failure are kept. */
public final class M3TransactionException extends IonException {

    private final String program;
    private final String transaction;
    private final String field;
    private final String code;
    private final String type;
    private final List<MiRecord> partialRecords;

    public M3TransactionException(String program, String transaction, String field, String code, String type,
                                  String message, List<MiRecord> partialRecords) {
        super(program + "/" + transaction + " failed" + (code == null || code.isEmpty() ? "" : " [" + code + "]")
                + (field == null || field.isEmpty() ? "" : " on field " + field) + ": " + message);
        this.program = program;
        this.transaction = transaction;
        this.field = field == null ? "" : field;
        this.code = code == null ? "" : code;
        this.type = type == null ? "" : type;
        this.partialRecords = List.copyOf(partialRecords);
    }

    public String program() {
        return program;
    }

    public String transaction() {
        return transaction;
    }

    /** The input field M3 blames, e.g. {@code PUNO}; empty when none. */
    public String field() {
        return field;
    }

    /** M3's message id, e.g. {@code XAU0008}; empty when none. */
    public String code() {
        return code;
    }

    /** {@code ServerReturnedNOK}, {@code TransactionNotFound}, ...; empty when none. */
    public String type() {
        return type;
    }

    public List<MiRecord> partialRecords() {
        return partialRecords;
    }
}
