package io.mlconnector.infor;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One M3 MI transaction call: program, transaction, input fields and the control parameters
 * ({@code maxrecs}, {@code returncols}, {@code cono}, {@code divi}). Immutable; build with {@link #builder}.
 */
public final class MiRequest {

    private final String program;
    private final String transaction;
    private final Map<String, String> fields;
    private final Integer maxRecords;
    private final List<String> returnColumns;
    private final String company;
    private final String division;
    private final boolean idempotent;

    private MiRequest(Builder b) {
        this.program = b.program;
        this.transaction = b.transaction;
        this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(b.fields));
        this.maxRecords = b.maxRecords;
        this.returnColumns = List.copyOf(b.returnColumns);
        this.company = b.company;
        this.division = b.division;
        this.idempotent = b.idempotent != null ? b.idempotent : !transaction.startsWith("Add");
    }

    public static Builder builder(String program, String transaction) {
        return new Builder(program, transaction);
    }

    public String program() {
        return program;
    }

    public String transaction() {
        return transaction;
    }

    public Map<String, String> fields() {
        return fields;
    }

    /** Null when not set (the server default applies; Infor's SDK sends 100). 0 means all rows. */
    public Integer maxRecords() {
        return maxRecords;
    }

    public List<String> returnColumns() {
        return returnColumns;
    }

    public String company() {
        return company;
    }

    public String division() {
        return division;
    }

    /** Whether repeating the call after a 5xx or timeout is harmless. Defaults to false for {@code Add*} transactions. */
    public boolean idempotent() {
        return idempotent;
    }

    public Builder newBuilder() {
        Builder b = new Builder(program, transaction);
        b.fields.putAll(fields);
        b.maxRecords = maxRecords;
        b.returnColumns = returnColumns;
        b.company = company;
        b.division = division;
        b.idempotent = idempotent;
        return b;
    }

    @Override
    public String toString() {
        // Field names only: input values may be business data that does not belong in logs.
        return "MiRequest{" + program + "/" + transaction + " fields=" + fields.keySet() + "}";
    }

    public static final class Builder {
        private final String program;
        private final String transaction;
        private final Map<String, String> fields = new LinkedHashMap<>();
        private Integer maxRecords;
        private List<String> returnColumns = List.of();
        private String company;
        private String division;
        private Boolean idempotent;

        private Builder(String program, String transaction) {
            if (!program.matches("[A-Z0-9]+") || !transaction.matches("[A-Za-z0-9]+")) {
                throw new IllegalArgumentException("not an MI program/transaction: " + program + "/" + transaction);
            }
            this.program = program;
            this.transaction = transaction;
        }

        /** Sets an input field (the 4-letter M3 name, e.g. {@code PUNO}); null removes it. */
        public Builder set(String field, String value) {
            String name = field.toUpperCase(Locale.ROOT);
            if (value == null) {
                fields.remove(name);
            } else {
                fields.put(name, value);
            }
            return this;
        }

        /** Decimals go as plain text with '.', never in exponent form. */
        public Builder set(String field, BigDecimal value) {
            return set(field, value == null ? null : value.toPlainString());
        }

        /** Dates go as {@code yyyyMMdd}, read in the tenant's zone by M3. */
        public Builder set(String field, LocalDate value) {
            return set(field, value == null ? null : DateTimeFormatter.BASIC_ISO_DATE.format(value));
        }

        public Builder set(String field, long value) {
            return set(field, String.valueOf(value));
        }

        public Builder maxRecords(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("maxrecs must be >= 0 (0 = all rows)");
            }
            this.maxRecords = value;
            return this;
        }

        public Builder returnColumns(String... columns) {
            this.returnColumns = List.of(columns);
            return this;
        }

        public Builder company(String cono) {
            this.company = cono;
            return this;
        }

        public Builder division(String divi) {
            this.division = divi;
            return this;
        }

        public Builder idempotent(boolean value) {
            this.idempotent = value;
            return this;
        }

        public MiRequest build() {
            return new MiRequest(this);
        }
    }
}
