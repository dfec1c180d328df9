package io.mlconnector.simulators.ion;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The SQL-ish WHERE text both backends take: EXPORTMI's {@code QERY} condition and the IDO {@code filter}.
 *
 * <p>Supported: column names, {@code 'text'} and {@code N'text'} literals, numbers, {@code = <> != < <= > >=},
 * {@code like} with {@code %}, {@code in (literal, ...)}, {@code is [not] null}, {@code and}, {@code or}, {@code not} and parentheses.
 * Function calls are rejected, as 2026.x Mongoose rejects most of them. Two values compare as numbers when
 * both parse as numbers, otherwise as text.
 */
final class WhereClause {

    private final List<String> tokens;
    private final Function<String, String> columnCheck;
    private int pos;

    private WhereClause(String text, Function<String, String> columnCheck) {
        this.tokens = tokenize(text);
        this.columnCheck = columnCheck;
    }

    /**
     * Parses {@code text} into a row predicate. {@code columnCheck} maps a column as written to the row key,
     * or returns null for an unknown column (which fails the parse).
     */
    static Predicate<Map<String, String>> parse(String text, Function<String, String> columnCheck) {
        if (text == null || text.isBlank()) {
            return row -> true;
        }
        WhereClause p = new WhereClause(text, columnCheck);
        Predicate<Map<String, String>> result = p.or();
        if (p.pos != p.tokens.size()) {
            throw new IllegalArgumentException("unexpected '" + p.tokens.get(p.pos) + "' in filter");
        }
        return result;
    }

    /** Inclusive bounds on one column that every matching row keeps; a null end is open. */
    record Bounds(String lower, String upper) {
        static final Bounds NONE = new Bounds(null, null);
    }

    /**
     * Bounds on {@code field} that the condition's top-level {@code and} terms set ({@code >, >=, =, <=, <} with a
     * literal), so that a table held in that field's order is read from the lower bound to the upper one instead of
     * whole. Every row in the bounds is still tested against the whole condition; a top-level {@code or} sets none.
     */
    static Bounds bounds(String text, Function<String, String> columnCheck, String field) {
        if (text == null || text.isBlank()) {
            return Bounds.NONE;
        }
        List<String> t = tokenize(text);
        String lower = null;
        String upper = null;
        int depth = 0;
        for (int i = 0; i < t.size(); i++) {
            String token = t.get(i);
            if (token.equals("(")) {
                depth++;
            } else if (token.equals(")")) {
                depth--;
            } else if (depth == 0 && token.equalsIgnoreCase("or")) {
                return Bounds.NONE;
            } else if (depth == 0 && i + 2 < t.size() && (i == 0 || t.get(i - 1).equalsIgnoreCase("and"))
                    && (i + 3 == t.size() || t.get(i + 3).equalsIgnoreCase("and"))
                    && field.equals(columnCheck.apply(token)) && isLiteral(t.get(i + 2))) {
                String value = literal(t.get(i + 2));
                switch (t.get(i + 1)) {
                    case ">", ">=" -> lower = value;
                    case "<", "<=" -> upper = value;
                    case "=" -> {
                        lower = value;
                        upper = value;
                    }
                    default -> {
                    }
                }
            }
        }
        return new Bounds(lower, upper);
    }

    private static boolean isLiteral(String token) {
        return token.startsWith("'") || (!token.isEmpty() && (Character.isDigit(token.charAt(0)) || token.charAt(0) == '-'));
    }

    private static String literal(String token) {
        return token.startsWith("'") ? token.substring(1, token.length() - 1).replace("''", "'").trim() : token;
    }

    private Predicate<Map<String, String>> or() {
        Predicate<Map<String, String>> left = and();
        while (accept("or")) {
            left = left.or(and());
        }
        return left;
    }

    private Predicate<Map<String, String>> and() {
        Predicate<Map<String, String>> left = unary();
        while (accept("and")) {
            left = left.and(unary());
        }
        return left;
    }

    private Predicate<Map<String, String>> unary() {
        if (accept("not")) {
            return unary().negate();
        }
        if (accept("(")) {
            Predicate<Map<String, String>> inner = or();
            expect(")");
            return inner;
        }
        return comparison();
    }

    private Predicate<Map<String, String>> comparison() {
        Function<Map<String, String>, String> left = operand();
        String op = next().toLowerCase(Locale.ROOT);
        if (op.equals("is")) {
            boolean not = accept("not");
            expect("null");
            return row -> (left.apply(row) == null) != not;
        }
        if (op.equals("not")) {
            expect("like");
            Function<Map<String, String>, String> right = operand();
            return row -> !like(left.apply(row), right.apply(row));
        }
        if (op.equals("in")) {
            java.util.Set<String> values = valueList();
            return row -> {
                String v = left.apply(row);
                return v != null && values.contains(v.trim());
            };
        }
        Function<Map<String, String>, String> right = operand();
        return switch (op) {
            case "=" -> row -> compare(left.apply(row), right.apply(row)) == 0;
            case "<>", "!=" -> row -> compare(left.apply(row), right.apply(row)) != 0;
            case "<" -> row -> compare(left.apply(row), right.apply(row)) < 0;
            case "<=" -> row -> compare(left.apply(row), right.apply(row)) <= 0;
            case ">" -> row -> compare(left.apply(row), right.apply(row)) > 0;
            case ">=" -> row -> compare(left.apply(row), right.apply(row)) >= 0;
            case "like" -> row -> like(left.apply(row), right.apply(row));
            default -> throw new IllegalArgumentException("unsupported operator '" + op + "' in filter");
        };
    }

    /** {@code ('a', N'b', 3)}: the literals of an {@code in} list, trimmed. */
    private java.util.Set<String> valueList() {
        expect("(");
        java.util.Set<String> values = new java.util.HashSet<>();
        do {
            String t = next();
            if (t.startsWith("'")) {
                values.add(t.substring(1, t.length() - 1).replace("''", "'").trim());
            } else if (!t.isEmpty() && (Character.isDigit(t.charAt(0)) || t.charAt(0) == '-')) {
                values.add(t);
            } else {
                throw new IllegalArgumentException("only literals may appear in an in list, not '" + t + "'");
            }
        } while (accept(","));
        expect(")");
        return values;
    }

    private Function<Map<String, String>, String> operand() {
        String t = next();
        if (t.startsWith("'")) {
            String literal = t.substring(1, t.length() - 1).replace("''", "'");
            return row -> literal;
        }
        if (Character.isDigit(t.charAt(0)) || t.charAt(0) == '-') {
            return row -> t;
        }
        if (pos < tokens.size() && tokens.get(pos).equals("(")) {
            throw new IllegalArgumentException("IllegalFilterException: function " + t + "() is not allowed in a filter");
        }
        String column = columnCheck.apply(t);
        if (column == null) {
            throw new IllegalArgumentException("unknown column '" + t + "' in filter");
        }
        return row -> row.get(column);
    }

    static int compare(String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        String x = a.trim();
        String y = b.trim();
        if (isNumber(x) && isNumber(y)) {
            if (x.length() == y.length() && x.indexOf('.') < 0 && y.indexOf('.') < 0 && x.charAt(0) != '-' && y.charAt(0) != '-') {
                return x.compareTo(y);
            }
            return new BigDecimal(x).compareTo(new BigDecimal(y));
        }
        return x.compareTo(y);
    }

    /** {@code -?digits(.digits)?}, checked by hand: this runs for every comparison of every sort. */
    private static boolean isNumber(String s) {
        int i = s.startsWith("-") ? 1 : 0;
        if (i >= s.length()) {
            return false;
        }
        boolean dot = false;
        boolean digitBeforeDot = false;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.' && !dot && digitBeforeDot && i + 1 < s.length()) {
                dot = true;
            } else if (c >= '0' && c <= '9') {
                digitBeforeDot = true;
            } else {
                return false;
            }
        }
        return true;
    }

    private static boolean like(String value, String pattern) {
        if (value == null || pattern == null) {
            return false;
        }
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '%' ? ".*" : c == '_' ? "." : java.util.regex.Pattern.quote(String.valueOf(c)));
        }
        return value.trim().matches(regex.toString());
    }

    private boolean accept(String token) {
        if (pos < tokens.size() && tokens.get(pos).equalsIgnoreCase(token)) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(String token) {
        if (!accept(token)) {
            throw new IllegalArgumentException("expected '" + token + "' in filter");
        }
    }

    private String next() {
        if (pos >= tokens.size()) {
            throw new IllegalArgumentException("filter ends too early");
        }
        return tokens.get(pos++);
    }

    private static List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'' || ((c == 'N' || c == 'n') && i + 1 < text.length() && text.charAt(i + 1) == '\'')) {
                int start = c == '\'' ? i : i + 1;
                int j = start + 1;
                while (true) {
                    if (j >= text.length()) {
                        throw new IllegalArgumentException("unterminated string in filter");
                    }
                    if (text.charAt(j) == '\'') {
                        if (j + 1 < text.length() && text.charAt(j + 1) == '\'') {
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    j++;
                }
                out.add(text.substring(start, j + 1));
                i = j + 1;
            } else if ("(),".indexOf(c) >= 0) {
                out.add(String.valueOf(c));
                i++;
            } else if ("<>=!".indexOf(c) >= 0) {
                int j = i + 1;
                while (j < text.length() && "<>=".indexOf(text.charAt(j)) >= 0) {
                    j++;
                }
                out.add(text.substring(i, j));
                i = j;
            } else {
                int j = i;
                while (j < text.length() && !Character.isWhitespace(text.charAt(j)) && "(),<>=!'".indexOf(text.charAt(j)) < 0) {
                    j++;
                }
                out.add(text.substring(i, j));
                i = j;
            }
        }
        return out;
    }
}
