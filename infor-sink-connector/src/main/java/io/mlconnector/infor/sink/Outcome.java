package io.mlconnector.infor.sink;

/** What a writeback came to; every one of them is written to the audit topic. */
record Outcome(Kind kind, String message) {

    enum Kind {
        /** CloudSuite now holds the change. */
        APPLIED,
        /** CloudSuite already held it (a replay, a retry after a crash, or someone was faster): nothing sent. */
        ALREADY_APPLIED,
        /** CloudSuite refused it, e.g. the PO is closed; the message is CloudSuite's. */
        REJECTED,
        /** The rule only records the event: there is no write path for it. */
        NO_WRITE_PATH
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
