package io.mlconnector.infor.records;

import java.time.Duration;
import java.util.Locale;

/** The business objects the connector reads, each to its own topic. */
public enum Entity {
    PURCHASE_ORDERS("purchase-orders", Duration.ofMinutes(1)),
    SUPPLIER_INVOICES("supplier-invoices", Duration.ofMinutes(1)),
    SUPPLIERS("suppliers", Duration.ofDays(1)),
    GL_ACCOUNTS("gl-accounts", Duration.ofDays(1)),
    PAYMENTS("payments", Duration.ofMinutes(1));

    private final String id;
    private final Duration defaultInterval;

    Entity(String id, Duration defaultInterval) {
        this.id = id;
        this.defaultInterval = defaultInterval;
    }

    /** The name in configs, topics and keys, e.g. {@code purchase-orders}. */
    public String id() {
        return id;
    }

    /** Transactional data every minute, reference data once a day. */
    public Duration defaultInterval() {
        return defaultInterval;
    }

    /**
     * Whether M3 rows are read per configured division. Suppliers belong to the company; GL accounts are read per
     * company because the chart of accounts also holds company-level accounts (blank division).
     */
    public boolean perDivision() {
        return this != SUPPLIERS && this != GL_ACCOUNTS;
    }

    /** Per entity: {@code purchase-orders.poll.interval.ms}. */
    public String pollIntervalSetting() {
        return id + ".poll.interval.ms";
    }

    public static Entity of(String id) {
        for (Entity e : values()) {
            if (e.id.equals(id.trim().toLowerCase(Locale.ROOT))) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown entity '" + id + "'; known are purchase-orders, supplier-invoices, suppliers, gl-accounts, payments");
    }
}
