package io.mlconnector.it.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The reliability suite's result table: one row per test, every defect column must read 0. */
final class Scorecard {

    /**
     * One test's outcome.
     *
     * @param records      what the test put through: POs, events, POSTs, bad inputs or attacks
     * @param duplicates   tasks, approvals or records that exist more than once
     * @param missing      what should have arrived, been refused on its field or dead-lettered, and did not
     * @param unauthorized 401 answers the simulators gave the connectors (an expired or bad token was used)
     * @param secretsFound secret values of the run found in logs, REST answers or records
     * @param unauthorizedWritebacks CloudSuite writes no approver decided on the task of that record
     * @param secretsSentElsewhere connections a connector made to a host its secrets do not belong to
     * @param deliveriesLost Asana webhook deliveries not acknowledged 2xx at their first attempt
     * @param taskFailures connector or task states seen FAILED
     * @param detail       what else was measured, for the closing note
     */
    record Row(String test, long records, long duplicates, long missing, long unauthorized, long secretsFound,
               long unauthorizedWritebacks, long secretsSentElsewhere, long deliveriesLost, long taskFailures,
               String detail) {

        Row(String test, long records, long duplicates, long missing, long unauthorized, long secretsFound,
                long unauthorizedWritebacks, String detail) {
            this(test, records, duplicates, missing, unauthorized, secretsFound, unauthorizedWritebacks, 0, 0, 0, detail);
        }

        Row(String test, long records, long duplicates, long missing, long unauthorized, long secretsFound,
                String detail) {
            this(test, records, duplicates, missing, unauthorized, secretsFound, 0, detail);
        }

        long defects() {
            return duplicates + missing + unauthorized + secretsFound + unauthorizedWritebacks + secretsSentElsewhere
                    + deliveriesLost + taskFailures;
        }
    }

    private static final List<Row> ROWS = new ArrayList<>();
    private static final List<String> FAILED = new ArrayList<>();

    private Scorecard() {
    }

    static synchronized void add(Row row) {
        ROWS.add(row);
    }

    /** A test that ended before it could score: it counts as a defect of its own. */
    static synchronized void failed(String test, Throwable cause) {
        FAILED.add(test + ": " + cause);
    }

    static synchronized String table(String size) {
        StringBuilder out = new StringBuilder("Reliability scorecard (" + size + " size)\n\n");
        out.append(String.format("| %-58s | %8s | %10s | %7s | %10s | %13s | %23s | %22s | %15s | %13s | %s%n", "test",
                "records", "duplicates", "missing", "401s seen", "secrets found", "unauthorized writebacks",
                "secrets sent elsewhere", "deliveries lost", "task failures", "detail"));
        out.append(String.format("|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s%n", "-".repeat(60), "-".repeat(10), "-".repeat(12),
                "-".repeat(9), "-".repeat(12), "-".repeat(15), "-".repeat(25), "-".repeat(24), "-".repeat(17),
                "-".repeat(15), "-".repeat(8)));
        for (Row row : ROWS) {
            out.append(String.format("| %-58s | %8d | %10d | %7d | %10d | %13d | %23d | %22d | %15d | %13d | %s%n",
                    row.test(), row.records(), row.duplicates(), row.missing(), row.unauthorized(), row.secretsFound(),
                    row.unauthorizedWritebacks(), row.secretsSentElsewhere(), row.deliveriesLost(), row.taskFailures(),
                    row.detail()));
        }
        FAILED.forEach(failure -> out.append("| FAILED ").append(failure).append('\n'));
        long defects = ROWS.stream().mapToLong(Row::defects).sum() + FAILED.size();
        out.append("\n").append(defects == 0 ? "All zeros." : defects + " defects.").append("\n");
        return out.toString();
    }

    /** Prints the table and writes it next to the failsafe reports. */
    static void publish(String size, Path file) throws IOException {
        String table = table(size);
        System.out.println(table);
        Files.createDirectories(file.getParent());
        Files.writeString(file, table);
    }
}
