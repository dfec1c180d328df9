package io.mlconnector.asana;

/** A partial update: only the fields set here are sent, so concurrent edits to others survive. */
public final class TaskUpdate extends TaskBody {

    private TaskUpdate(Builder builder) {
        super(builder);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** True when nothing changed; callers skip the API call. */
    public boolean isEmpty() {
        return hasNoFields();
    }

    public static final class Builder extends TaskBody.Fields<Builder> {

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        public TaskUpdate build() {
            return new TaskUpdate(this);
        }
    }
}
