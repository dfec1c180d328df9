package io.mlconnector.infor.source;

import io.mlconnector.infor.records.RecordSchemas;
import io.mlconnector.infor.source.RecordMapping.Field;
import io.mlconnector.infor.source.RecordMapping.Value;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.apache.kafka.connect.data.Struct;

/**
 * What a {@link RecordMapping} field can be made of: the conversions from source columns to record values, shared by
 * the backends where the data is alike, and the few that only one backend's data needs.
 */
final class Conversions {

    /** SyteLine keeps unit costs to eight decimals. */
    static final int UNIT_COST_SCALE = 8;

    private Conversions() {
    }

    /** Trimmed text; null when blank. */
    static Value text(String column) {
        return new Value(List.of(column), (row, ctx, related) -> row.text(column));
    }

    /** Trimmed text that must be there: a key, a supplier. */
    static Value requiredText(String column) {
        return new Value(List.of(column), (row, ctx, related) -> row.required(column));
    }

    /** Money: an exact decimal at the configured amount scale; more decimals are a bad row, not a rounding. */
    static Value amount(String column) {
        return new Value(List.of(column), (row, ctx, related) -> row.decimal(column, ctx.schemas().amountScale));
    }

    /** A quantity, exact at {@link RecordSchemas#QUANTITY_SCALE} decimals. */
    static Value quantity(String column) {
        return new Value(List.of(column), (row, ctx, related) -> row.decimal(column, RecordSchemas.QUANTITY_SCALE));
    }

    /** {@code 10} or, for a release other than 0, {@code 10-2}: line and release as both backends number them. */
    static Value lineNumber(String line, String release) {
        return new Value(List.of(line, release), (row, ctx, related) -> {
            String r = row.text(release);
            return row.required(line) + (r == null || r.equals("0") ? "" : "-" + r);
        });
    }

    /** Required values joined by {@code /}: a number made of several columns. */
    static Value joined(String... columns) {
        return new Value(List.of(columns), (row, ctx, related) -> {
            List<String> values = new ArrayList<>(columns.length);
            for (String column : columns) {
                values.add(row.required(column));
            }
            return String.join("/", values);
        });
    }

    /** A column of the row {@code lookup} finds for this one; null when it finds none. */
    static Value lookedUp(Related.Lookup lookup, String column) {
        return new Value(lookup.keys(), lookup, (row, ctx, related) -> {
            Row found = related.found(lookup, row);
            return found == null ? null : found.text(column);
        });
    }

    /** The order's lines, each made by {@code fields}. */
    static Value lines(Related.Lines lines, List<Field> fields) {
        return new Value(List.of(lines.order()), lines, (row, ctx, related) -> {
            List<Struct> out = new ArrayList<>();
            for (Row line : related.linesOf(lines, row)) {
                out.add(RecordMapper.struct(ctx.schemas().purchaseOrderLine, fields, line, ctx, related));
            }
            return out;
        });
    }

    // M3

    /** M3's {@code yyyyMMdd}, blank or 0 for none, as a Connect Date. */
    static Value m3Date(String column) {
        return new Value(List.of(column), (row, ctx, related) -> RecordContext.date(row.m3Date(column)));
    }

    /**
     * LMTS is M3's change timestamp in epoch milliseconds, so it is already UTC. On a table read without LMTS, the
     * change date (LMDT) is all there is: the start of that day in the tenant's zone.
     */
    static Value m3ChangedAt() {
        return new Value(List.of(TableRead.STAMP), (row, ctx, related) -> {
            if (!row.fields().containsKey(TableRead.STAMP)) {
                LocalDate day = row.m3Date("LMDT");
                return day == null ? null : Date.from(day.atStartOfDay(ctx.zone()).toInstant());
            }
            return Date.from(Instant.ofEpochMilli(row.wholeNumber(TableRead.STAMP)));
        });
    }

    /** {@code division/number}, or the number alone where the division is blank (e.g. a company-level account). */
    static Value inDivision(String division, String number) {
        return new Value(List.of(division, number), (row, ctx, related) -> {
            String d = row.text(division);
            String n = row.required(number);
            return d == null ? n : d + "/" + n;
        });
    }

    /** PAID when the status is one of {@code paidStatuses} (a setting), else UNPAID. */
    static Value paidWhenStatusIn(String column, Set<String> paidStatuses) {
        return new Value(List.of(column), (row, ctx, related) -> {
            String status = row.text(column);
            return status != null && paidStatuses.contains(status) ? PaymentStatus.PAID : PaymentStatus.UNPAID;
        });
    }

    // SyteLine

    /** Mongoose's {@code yyyyMMdd HH:mm:ss.SSS}: its day, as a Connect Date. */
    static Value idoDate(String column) {
        return new Value(List.of(column), (row, ctx, related) -> RecordContext.date(row.idoDate(column)));
    }

    /** A Mongoose date-time that must be there, in the tenant's zone. */
    static Value idoChangedAt(String column) {
        return new Value(List.of(column), (row, ctx, related) -> Date.from(row.idoInstant(column, ctx.zone())));
    }

    /** Quantity x unit cost, rounded half-even to the amount scale: for rows that carry no amount of their own. */
    static Value extendedAmount(String quantity, String unitCost) {
        return new Value(List.of(quantity, unitCost), (row, ctx, related) -> {
            BigDecimal q = row.decimal(quantity, RecordSchemas.QUANTITY_SCALE);
            BigDecimal c = row.decimal(unitCost, UNIT_COST_SCALE);
            return q == null || c == null ? null : q.multiply(c).setScale(ctx.schemas().amountScale, RoundingMode.HALF_EVEN);
        });
    }

    /** PAID when the amount paid covers the amount, else PART_PAID. */
    static Value paidWhenCovered(String amount, String paid) {
        return new Value(List.of(amount, paid), (row, ctx, related) -> {
            BigDecimal a = row.decimal(amount, ctx.schemas().amountScale);
            BigDecimal p = row.decimal(paid, ctx.schemas().amountScale);
            return a != null && p != null && p.compareTo(a) >= 0 ? PaymentStatus.PAID : PaymentStatus.PART_PAID;
        });
    }
}
