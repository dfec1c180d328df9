package io.mlconnector.connect;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** A LIST setting whose items read {@code name=value}, such as {@code Amount=${amount},Currency=${currency}}. */
public final class KeyValueList {

    /** Rejects any item without a name and a value around its first '='. */
    public static final ConfigDef.Validator VALIDATOR = new ConfigDef.Validator() {
        @Override
        public void ensureValid(String name, Object value) {
            for (Object item : (List<?>) value) {
                String text = item.toString();
                int eq = text.indexOf('=');
                if (eq <= 0 || eq == text.length() - 1) {
                    throw new ConfigException(name, text, "expected 'name=value'");
                }
            }
        }

        @Override
        public String toString() {
            return "'name=value' items";
        }
    };

    private KeyValueList() {
    }

    /** The items as name → value, in the order given; names and values trimmed. */
    public static Map<String, String> parse(List<String> items) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String item : items) {
            int eq = item.indexOf('=');
            pairs.put(item.substring(0, eq).trim(), item.substring(eq + 1).trim());
        }
        return pairs;
    }
}
