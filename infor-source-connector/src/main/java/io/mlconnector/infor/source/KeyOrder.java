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
        // Keys are mostly whole numbers (PUNO, INBN): compared by their digits, as sorting a page does thousands of times.
        if (isDigits(a) && isDigits(b)) {
            return compareDigits(a, b);
        }
        if (NUMBER.matcher(a).matches() && NUMBER.matcher(b).matches()) {
            return new BigDecimal(a).compareTo(new BigDecimal(b));
        }
        return a.compareTo(b);
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Leading zeros aside, the longer number is larger; numbers of one length compare as text. */
    private static int compareDigits(String a, String b) {
        int za = leadingZeros(a);
        int zb = leadingZeros(b);
        int byLength = Integer.compare(a.length() - za, b.length() - zb);
        if (byLength != 0) {
            return byLength;
        }
        for (int i = za, j = zb; i < a.length(); i++, j++) {
            int byDigit = Character.compare(a.charAt(i), b.charAt(j));
            if (byDigit != 0) {
                return byDigit;
            }
        }
        return 0;
    }

    private static int leadingZeros(String s) {
        int n = 0;
        while (n < s.length() - 1 && s.charAt(n) == '0') {
            n++;
        }
        return n;
    }

    /** A quoted SQL literal for EXPORTMI and IDO filters. */
    static String quote(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
