package io.mlconnector.infor;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One output record of an MI transaction: every field M3 sent, values right-trimmed (M3 pads with blanks).
 * Dates are {@code yyyyMMdd} in the tenant's zone, which the record carries.
 */
public final class MiRecord {

    private final Map<String, String> fields;
    private final ZoneId zone;

    /** @param raw the fields as sent, in order; the record takes it over and trims its values in place */
    MiRecord(LinkedHashMap<String, String> raw, ZoneId zone) {
        raw.replaceAll((k, v) -> v == null ? "" : v.stripTrailing());
        this.fields = Collections.unmodifiableMap(raw);
        this.zone = zone;
    }

    /** The trimmed value; empty when M3 sent the field blank. Throws when the field was not sent at all. */
    public String get(String field) {
        String v = fields.get(field);
        if (v == null) {
            throw new IllegalArgumentException("field " + field + " is not in this record; fields are " + fields.keySet());
        }
        return v;
    }

    public boolean has(String field) {
        return fields.containsKey(field);
    }

    /** All fields in the order M3 sent them. */
    public Map<String, String> fields() {
        return fields;
    }

    /** The value as an exact decimal; null when blank. */
    public BigDecimal decimal(String field) {
        String v = get(field).trim();
        if (v.isEmpty()) {
            return null;
        }
        try {
            return new BigDecimal(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("field " + field + " is not a decimal: " + v, e);
        }
    }

    /** The {@code yyyyMMdd} date; null when blank or {@code 0} (M3's "no date"). */
    public LocalDate date(String field) {
        String v = get(field).trim();
        if (v.isEmpty() || v.equals("0")) {
            return null;
        }
        try {
            return LocalDate.parse(v, DateTimeFormatter.BASIC_ISO_DATE);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("field " + field + " is not a yyyyMMdd date: " + v, e);
        }
    }

    /** The date as the start of that day in the tenant's zone; null when blank or {@code 0}. */
    public ZonedDateTime startOfDay(String field) {
        LocalDate d = date(field);
        return d == null ? null : d.atStartOfDay(zone);
    }

    /** The tenant zone M3's dates and times are in. */
    public ZoneId zone() {
        return zone;
    }

    @Override
    public String toString() {
        return "MiRecord" + fields;
    }
}
