package io.mlconnector.infor.sink;

/**
 * What a writeback came to; every one of them is written to the audit topic.
 *
 * @param nextRule a record in a state this rule does not write, left to the next rule that matches
 *                 ({@code state.otherwise=next-rule}); audited as REJECTED when no rule is left
 */
record Outcome(Kind kind, String message, boolean nextRule) {

    Outcome(Kind kind, String message) {
        this(kind, message, false);
    }

    enum Kind {
        /** CloudSuite now holds the change. */
        APPLIED,
        /** CloudSuite already held it (a replay, a retry after a crash, or someone was faster): nothing sent. */
        ALREADY_APPLIED,
        /** CloudSuite refused it, e.g. the PO is closed; the message is CloudSuite's. */
        REJECTED,
        /** The rule only records the event: there is no write path for it. */
        NO_WRITE_PATH,
        /** The task is not in the task ledger: the connectors did not make it, so it names no record. */
        NOT_OURS,
        /** The change was made by the connectors' own Asana user (e.g. completing a task CloudSuite closed). */
        NOT_A_DECISION,
        /** The person who made the change is not allowed to decide about the record. */
        NOT_ALLOWED
    }

    /** Whether the event reached CloudSuite's answer at all: refusals before that write nothing. */
    boolean refusedBeforeCloudSuite() {
        return kind == Kind.NOT_OURS || kind == Kind.NOT_A_DECISION || kind == Kind.NOT_ALLOWED;
    }

    static Outcome applied(String message) {
        return new Outcome(Kind.APPLIED, message);
    }

    static Outcome alreadyApplied(String message) {
        return new Outcome(Kind.ALREADY_APPLIED, message);
    }

    static Outcome rejected(String message) {
        return new Outcome(Kind.REJECTED, message);
    }
}
