package io.mlconnector.infor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** One entry of an UpdateCollection's {@code Changes}: insert (1), update (2) or delete (4). */
public final class IdoChange {

    private final int action;
    private final String itemId;
    private final Map<String, String> properties;

    private IdoChange(int action, String itemId, Map<String, String> properties) {
        this.action = action;
        this.itemId = itemId;
        this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /** Inserts a row; all key properties must be given. */
    public static IdoChange insert(Map<String, String> properties) {
        return new IdoChange(1, "", properties);
    }

    /** Updates the row a load returned; the ItemId's DT gives optimistic locking. A null value sets NULL. */
    public static IdoChange update(String itemId, Map<String, String> properties) {
        return new IdoChange(2, requireItemId(itemId), properties);
    }

    public static IdoChange delete(String itemId) {
        return new IdoChange(4, requireItemId(itemId), Map.of());
    }

    private static String requireItemId(String itemId) {
        if (itemId == null || itemId.isBlank()) {
            throw new IllegalArgumentException("an ItemId from a load is required (load without readonly)");
        }
        return itemId;
    }

    public int action() {
        return action;
    }

    public String itemId() {
        return itemId;
    }

    public Map<String, String> properties() {
        return properties;
    }
}
