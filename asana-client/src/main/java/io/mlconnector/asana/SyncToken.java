package io.mlconnector.asana;

import java.util.Objects;

/** An events-API sync token; opaque, kept by the caller (e.g. in a source offset) between polls. */
public final class SyncToken {
    private final String value;

    public SyncToken(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public String value() {
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SyncToken token && token.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
