package io.mlconnector.infor;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** One row of an IDO: property values as Mongoose sent them (strings or null), plus its {@code _ItemId}. */
public final class IdoItem {

    /** Mongoose's {@code 20240503 10:11:12.345}. */
    public static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd HH:mm:ss.SSS");

    private final Map<String, String> properties;
    private final String itemId;

    IdoItem(Map<String, String> properties, String itemId) {
        this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        this.itemId = itemId;
    }

    /** The value, null when the row holds NULL. Throws when the property was not loaded. */
    public String get(String property) {
        if (!properties.containsKey(property)) {
            throw new IllegalArgumentException("property " + property + " was not loaded; loaded are " + properties.keySet());
        }
        return properties.get(property);
    }

    public Map<String, String> properties() {
        return properties;
    }

    /** The {@code _ItemId} to update this row with; null when loaded read-only. */
    public String itemId() {
        return itemId;
    }

    public BigDecimal decimal(String property) {
        String v = get(property);
        return v == null || v.isBlank() ? null : new BigDecimal(v.trim());
    }

    /** A Mongoose date-time, which carries no zone: the caller names the site's zone. */
    public ZonedDateTime dateTime(String property, ZoneId siteZone) {
        String v = get(property);
        return v == null || v.isBlank() ? null : LocalDateTime.parse(v.trim(), DATE_TIME).atZone(siteZone);
    }

    @Override
    public String toString() {
        return "IdoItem" + properties;
    }
}
