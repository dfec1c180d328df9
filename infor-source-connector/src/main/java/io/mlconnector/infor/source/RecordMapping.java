package io.mlconnector.infor.source;

import io.mlconnector.infor.records.Entity;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How one backend's rows of an entity become the shared record ({@link io.mlconnector.infor.records.RecordSchemas}):
 * each field of the record, the source column(s) it comes from and how they are converted ({@link Conversions}).
 * A backend is its mappings, as a kafka-connect-jdbc dialect is its type mapping; {@link RecordMapper} applies any of
 * them. {@code number} and {@code division} are fields like the others; tenant, backend, company and source_zone
 * come from the partition.
 *
 * <p>Fields are converted in the order listed, so a row with several bad columns is reported by the first of them.
 */
record RecordMapping(Entity entity, List<Field> fields) {

    /** A field of the record and where its value comes from. */
    record Field(String name, Value value) {
    }

    /**
     * Where a value comes from: the columns of the row it reads, the related table it reads from (null for the row
     * alone), and the conversion.
     */
    record Value(List<String> columns, Related.Table from, Conversion conversion) {

        Value(List<String> columns, Conversion conversion) {
            this(columns, null, conversion);
        }
    }

    /** Turns a row's columns into one field's value; a bad value throws {@link BadRowException}. */
    @FunctionalInterface
    interface Conversion {
        Object convert(Row row, RecordContext ctx, Related related);
    }

    static Field field(String name, Value value) {
        return new Field(name, value);
    }

    /** The related tables the fields read from, in field order: what a page fetches before its records are made. */
    List<Related.Table> related() {
        return fields.stream().map(f -> f.value().from()).filter(Objects::nonNull).distinct().toList();
    }

    /** The columns of the row the fields read. */
    Set<String> columns() {
        Set<String> columns = new LinkedHashSet<>();
        fields.forEach(f -> columns.addAll(f.value().columns()));
        return columns;
    }
}
