package io.mlconnector.infor.source;

import io.mlconnector.infor.IdoItem;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * One row as the API sent it (field name to text), with typed reads that fail with a {@link BadRowException}
 * naming the field and the value, never guessing. A row that could not be read whole carries its fault and only
 * the fields that could be read (its key).
 */
final class Row {

    private final Map<String, String> fields;
    private final String fault;

    Row(Map<String, String> fields) {
        this(fields, null);
    }

    Row(Map<String, String> fields, String fault) {
        this.fields = fields;
        this.fault = fault;
    }

    Map<String, String> fields() {
        return fields;
    }

    /** Why the row could not be read whole; null when it was. */
    String fault() {
        return fault;
    }

    /** Trimmed text; null when blank or absent. */
    String text(String field) {
        String v = fields.get(field);
        return v == null || v.isBlank() ? null : v.trim();
    }

    String required(String field) {
        String v = text(field);
        if (v == null) {
            throw new BadRowException("field " + field + " is missing");
        }
        return v;
    }

    /** An exact decimal at {@code scale} places; more significant decimals are an error, not a rounding. */
    BigDecimal decimal(String field, int scale) {
        String v = text(field);
        if (v == null) {
            return null;
        }
        BigDecimal d;
        try {
            d = new BigDecimal(v);
        } catch (NumberFormatException e) {
            throw new BadRowException("field " + field + " is not a number: '" + v + "'");
        }
        try {
            return d.stripTrailingZeros().setScale(scale, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw new BadRowException("field " + field + " has more than " + scale + " decimals: '" + v + "'");
        }
    }

    long wholeNumber(String field) {
        String v = required(field);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new BadRowException("field " + field + " is not a whole number: '" + v + "'");
        }
    }

    /** M3's {@code yyyyMMdd}; blank or 0 is "no date". */
    LocalDate m3Date(String field) {
        String v = text(field);
        if (v == null || v.equals("0")) {
            return null;
        }
        try {
            return LocalDate.parse(v, DateTimeFormatter.BASIC_ISO_DATE);
        } catch (DateTimeParseException e) {
            throw new BadRowException("field " + field + " is not a yyyyMMdd date: '" + v + "'");
        }
    }

    /** Mongoose's {@code yyyyMMdd HH:mm:ss.SSS}, in the site zone. */
    LocalDateTime idoDateTime(String field) {
        String v = text(field);
        if (v == null) {
            return null;
        }
        try {
            return LocalDateTime.parse(v, IdoItem.DATE_TIME);
        } catch (DateTimeParseException e) {
            throw new BadRowException("field " + field + " is not a date-time like 20240503 10:11:12.345: '" + v + "'");
        }
    }

    LocalDate idoDate(String field) {
        LocalDateTime t = idoDateTime(field);
        return t == null ? null : t.toLocalDate();
    }

    Instant idoInstant(String field, ZoneId zone) {
        LocalDateTime t = idoDateTime(field);
        if (t == null) {
            throw new BadRowException("field " + field + " is missing");
        }
        return t.atZone(zone).toInstant();
    }
}
