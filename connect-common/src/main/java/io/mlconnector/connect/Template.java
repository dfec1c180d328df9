package io.mlconnector.connect;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text with {@code ${path}} placeholders filled from a record. A template that is exactly one
 * placeholder also yields the value itself, so numbers keep their exact decimal and dates their type.
 * {@code ${path|year}} is the year of a date: a Connect Date, or text starting {@code yyyyMMdd} (M3) or
 * {@code yyyy-MM-dd}; empty for anything else.
 */
public final class Template {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_. -]+)(\\|year)?}");
    private static final Pattern DATE_TEXT = Pattern.compile("(\\d{4})(\\d{4}|-\\d{2}-\\d{2}).*");

    private final String text;
    private final List<String> paths = new ArrayList<>();
    private final String singlePath;

    public Template(String text) {
        this.text = text;
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            paths.add(m.group(1));
        }
        this.singlePath = paths.size() == 1 && text.equals("${" + paths.get(0) + "}") ? paths.get(0) : null;
    }

    /** Each text of a name → text map as a template, in the same order. */
    public static Map<String, Template> of(Map<String, String> texts) {
        Map<String, Template> templates = new LinkedHashMap<>();
        texts.forEach((name, text) -> templates.put(name, new Template(text)));
        return templates;
    }

    public boolean isEmpty() {
        return text.isEmpty();
    }

    /** True when the template is exactly one placeholder, whose value keeps its type. */
    public boolean isSingleValue() {
        return singlePath != null;
    }

    public List<String> paths() {
        return List.copyOf(paths);
    }

    /** The single placeholder's value, typed; or the rendered text. Null when a single value is missing. */
    public Object value(RecordView record) {
        return singlePath != null ? record.get(singlePath) : render(record);
    }

    /** The text with every placeholder replaced; a missing value renders as empty text. */
    public String render(RecordView record) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Object value = record.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(format(m.group(2) == null ? value : year(value))));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String year(Object value) {
        if (value instanceof Date date) {
            return String.valueOf(date.toInstant().atOffset(ZoneOffset.UTC).getYear());
        }
        Matcher date = DATE_TEXT.matcher(value == null ? "" : value.toString().strip());
        return date.matches() ? date.group(1) : null;
    }

    public static String format(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (value instanceof Date date) {
            return date.toInstant().atOffset(ZoneOffset.UTC).toString();
        }
        return value.toString();
    }

    /** A date from a Connect Date/Timestamp (UTC) or ISO text; null when absent. */
    public static LocalDate date(Object value) {
        if (value == null || value.toString().isEmpty()) {
            return null;
        }
        if (value instanceof Date date) {
            return date.toInstant().atOffset(ZoneOffset.UTC).toLocalDate();
        }
        String text = value.toString();
        return LocalDate.parse(text.length() > 10 ? text.substring(0, 10) : text);
    }

    @Override
    public String toString() {
        return text;
    }
}
