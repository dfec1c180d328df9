package io.mlconnector.infor.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyOrderTest {

    @Test
    void numbersCompareAsNumbersAndTheRestAsText() {
        List<String> keys = new ArrayList<>(List.of("10", "9", "0009", "4000000012", "400000002", "-1", "2.5", "AB", "A1", "0"));
        keys.sort(KeyOrder.KEYS);
        assertEquals(List.of("-1", "0", "2.5", "9", "0009", "10", "400000002", "4000000012", "A1", "AB"), keys);
    }

    @Test
    void leadingZerosDoNotMakeANumberLarger() {
        assertEquals(0, KeyOrder.compare("0042", "42"));
        assertEquals(-1, Integer.signum(KeyOrder.compare("00041", "42")));
        assertEquals(1, Integer.signum(KeyOrder.compare("100", "099")));
    }
}
