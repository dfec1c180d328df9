package io.mlconnector.bench;

/**
 * One line of the results table: what was measured, the limit it is held against, and whether it meets the bar.
 *
 * @param correctness true for bars that hold at any size (calls per record, 429s), which CI checks; speed and memory
 *                    bars are judged only at full size on a quiet machine
 * @param passed      null when the line is context (a limit itself), not a bar
 */
record Figure(String benchmark, String measure, String value, String limit, Boolean passed, boolean correctness) {

    static Figure bar(String benchmark, String measure, String value, String limit, boolean passed) {
        return new Figure(benchmark, measure, value, limit, passed, false);
    }

    static Figure correctness(String benchmark, String measure, String value, String limit, boolean passed) {
        return new Figure(benchmark, measure, value, limit, passed, true);
    }

    static Figure context(String benchmark, String measure, String value, String limit) {
        return new Figure(benchmark, measure, value, limit, null, false);
    }

    String verdict() {
        return passed == null ? "" : passed ? "pass" : "FAIL";
    }
}
