package io.mlconnector.infor.source;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.regex.Pattern;

/** Key order as the API's filters compare: as numbers when both sides are numbers, otherwise as text. */
final class KeyOrder {

    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");

    static final Comparator<String> KEYS = KeyOrder::compare;

    private KeyOrder() {
    }

    static int compare(String a, String b) {
        if (NUMBER.matcher(a).matches() && NUMBER.matcher(b).matches()) {
            return new BigDecimal(a).compareTo(new BigDecimal(b));
        }
        return a.compareTo(b);
    }

    /** A quoted SQL literal for EXPORTMI and IDO filters. */
    static String quote(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
