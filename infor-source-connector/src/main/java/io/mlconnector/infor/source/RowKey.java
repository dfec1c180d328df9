package io.mlconnector.infor.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * Where a row stands among its table's rows within one change stamp: one key column (PUNO), or several compared
 * in turn when no single column is unique (the AP ledger's YEA4, JRNO, JSNO). A key of several columns is kept in
 * the bookmark as a JSON array of its values, so no value can break it apart.
 */
final class RowKey {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> VALUES = new TypeReference<>() { };

    private final String prefix;
    private final List<String> fields;
    private final Comparator<String> order;

    RowKey(String prefix, List<String> fields) {
        this.prefix = prefix;
        this.fields = List.copyOf(fields);
        this.order = fields.size() == 1 ? KeyOrder.KEYS : (a, b) -> compare(decode(a), decode(b));
    }

    /** The row's key as the bookmark keeps it; a missing value counts as empty text. */
    String of(Row row) {
        if (fields.size() == 1) {
            return nonNull(row.text(fields.get(0)));
        }
        List<String> values = new ArrayList<>(fields.size());
        fields.forEach(f -> values.add(nonNull(row.text(f))));
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key's values for messages, e.g. {@code 2026/1234/1}; null when the row has none. */
    String describe(Row row) {
        List<String> values = fields.stream().map(row::text).toList();
        return values.stream().allMatch(java.util.Objects::isNull) ? null
                : String.join("/", values.stream().map(RowKey::nonNull).toList());
    }

    Comparator<String> order() {
        return order;
    }

    /** An EXPORTMI condition for the rows ordered after {@code key}. */
    String after(String key) {
        List<String> values = fields.size() == 1 ? List.of(key) : decode(key);
        return after(values, 0);
    }

    private String after(List<String> values, int i) {
        String column = prefix + fields.get(i);
        String value = KeyOrder.quote(values.get(i));
        if (i == fields.size() - 1) {
            return column + " > " + value;
        }
        return "(" + column + " > " + value + " or (" + column + " = " + value + " and " + after(values, i + 1) + "))";
    }

    private int compare(List<String> a, List<String> b) {
        for (int i = 0; i < fields.size(); i++) {
            int c = KeyOrder.compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private List<String> decode(String key) {
        try {
            List<String> values = JSON.readValue(key, VALUES);
            if (values.size() != fields.size()) {
                throw new ConnectException("the bookmark key " + key + " has " + values.size() + " values for the "
                        + fields.size() + " key columns " + fields);
            }
            return values;
        } catch (JsonProcessingException e) {
            throw new ConnectException("the bookmark key " + key + " is not a JSON array of the key columns " + fields);
        }
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
