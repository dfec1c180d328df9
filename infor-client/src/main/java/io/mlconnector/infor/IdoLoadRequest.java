package io.mlconnector.infor;

import java.util.List;

/**
 * A Mongoose LoadCollection: {@code properties}, {@code filter}, {@code orderby}, {@code recordcap}
 * (-1 = server default of 200, 0 = all), {@code loadtype} with {@code bookmark}, {@code readonly}.
 */
public final class IdoLoadRequest {

    /** Which page relative to the bookmark. */
    public enum LoadType { FIRST, NEXT, PREV, LAST }

    private final String ido;
    private final List<String> properties;
    private final String filter;
    private final String orderBy;
    private final int recordCap;
    private final LoadType loadType;
    private final String bookmark;
    private final boolean readOnly;

    private IdoLoadRequest(Builder b) {
        this.ido = b.ido;
        this.properties = List.copyOf(b.properties);
        this.filter = b.filter;
        this.orderBy = b.orderBy;
        this.recordCap = b.recordCap;
        this.loadType = b.loadType;
        this.bookmark = b.bookmark;
        this.readOnly = b.readOnly;
    }

    public static Builder builder(String ido) {
        return new Builder(ido);
    }

    public String ido() {
        return ido;
    }

    public List<String> properties() {
        return properties;
    }

    public String filter() {
        return filter;
    }

    public String orderBy() {
        return orderBy;
    }

    public int recordCap() {
        return recordCap;
    }

    public LoadType loadType() {
        return loadType;
    }

    public String bookmark() {
        return bookmark;
    }

    public boolean readOnly() {
        return readOnly;
    }

    public Builder newBuilder() {
        Builder b = new Builder(ido);
        b.properties = properties;
        b.filter = filter;
        b.orderBy = orderBy;
        b.recordCap = recordCap;
        b.loadType = loadType;
        b.bookmark = bookmark;
        b.readOnly = readOnly;
        return b;
    }

    @Override
    public String toString() {
        return "IdoLoadRequest{" + ido + ", properties=" + properties + ", orderBy=" + orderBy + ", recordCap=" + recordCap
                + ", loadType=" + loadType + "}";
    }

    public static final class Builder {
        private final String ido;
        private List<String> properties = List.of();
        private String filter;
        private String orderBy;
        private int recordCap = -1;
        private LoadType loadType = LoadType.FIRST;
        private String bookmark;
        private boolean readOnly;

        private Builder(String ido) {
            if (!ido.matches("\\w+")) {
                throw new IllegalArgumentException("not an IDO name: " + ido);
            }
            this.ido = ido;
        }

        /** Properties to load; none means all. Add {@code _ItemId} implicitly unless read-only. */
        public Builder properties(String... names) {
            this.properties = List.of(names);
            return this;
        }

        /** SQL WHERE text, e.g. {@code RecordDate > '20240503 10:11:12.345'}; use {@code N'..'} for text. */
        public Builder filter(String where) {
            this.filter = where;
            return this;
        }

        public Builder orderBy(String orderBy) {
            this.orderBy = orderBy;
            return this;
        }

        public Builder recordCap(int cap) {
            this.recordCap = cap;
            return this;
        }

        public Builder loadType(LoadType type, String bookmark) {
            this.loadType = type;
            this.bookmark = bookmark;
            return this;
        }

        public Builder readOnly(boolean value) {
            this.readOnly = value;
            return this;
        }

        public IdoLoadRequest build() {
            return new IdoLoadRequest(this);
        }
    }
}
