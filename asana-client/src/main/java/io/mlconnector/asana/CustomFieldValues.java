package io.mlconnector.asana;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlconnector.http.Json;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;

/**
 * Custom field values to write, keyed by field gid, each in the JSON form its type takes: text as
 * a string, number as a JSON number at the field's precision, enum as the option gid, multi_enum
 * and people as arrays (which replace the whole set), date as {@code YYYY-MM-DD} or a UTC timestamp.
 */
public final class CustomFieldValues {
    public static final int MAX_TEXT_LENGTH = 1024;
    private static final DateTimeFormatter UTC_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");

    private final ObjectNode values;

    private CustomFieldValues(ObjectNode values) {
        this.values = values;
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    ObjectNode json() {
        return values.deepCopy();
    }

    @Override
    public String toString() {
        return values.toString();
    }

    public static final class Builder {
        private final ObjectNode values = Json.MAPPER.createObjectNode();

        public Builder text(CustomField field, String value) {
            expect(field, CustomFieldType.TEXT);
            if (value.length() > MAX_TEXT_LENGTH) {
                throw new IllegalArgumentException(field.name() + ": text longer than " + MAX_TEXT_LENGTH);
            }
            values.put(field.gid(), value);
            return this;
        }

        /** Rounds half-up to the field's precision, as Asana would, so what is read back equals what was sent. */
        public Builder number(CustomField field, BigDecimal value) {
            expect(field, CustomFieldType.NUMBER);
            int precision = field.precision() == null ? value.scale() : field.precision();
            values.put(field.gid(), value.setScale(Math.max(precision, 0), RoundingMode.HALF_UP));
            return this;
        }

        public Builder enumOption(CustomField field, EnumOption option) {
            expect(field, CustomFieldType.ENUM);
            values.put(field.gid(), option.gid());
            return this;
        }

        /** The enabled option of that name; fails if the field has none (create it first). */
        public Builder enumOption(CustomField field, String optionName) {
            return enumOption(field, field.option(optionName).orElseThrow(() -> new IllegalArgumentException(
                    field.name() + " has no enabled option named " + optionName)));
        }

        public Builder multiEnum(CustomField field, Collection<EnumOption> options) {
            expect(field, CustomFieldType.MULTI_ENUM);
            ArrayNode gids = values.putArray(field.gid());
            options.forEach(o -> gids.add(o.gid()));
            return this;
        }

        public Builder date(CustomField field, LocalDate value) {
            expect(field, CustomFieldType.DATE);
            values.put(field.gid(), value.toString());
            return this;
        }

        public Builder dateTime(CustomField field, OffsetDateTime value) {
            expect(field, CustomFieldType.DATE);
            values.put(field.gid(), value.atZoneSameInstant(ZoneOffset.UTC).format(UTC_MILLIS));
            return this;
        }

        /** Users as gids, emails or {@code "me"}. */
        public Builder people(CustomField field, Collection<String> users) {
            expect(field, CustomFieldType.PEOPLE);
            ArrayNode array = values.putArray(field.gid());
            users.forEach(array::add);
            return this;
        }

        public Builder clear(CustomField field) {
            values.putNull(field.gid());
            return this;
        }

        public CustomFieldValues build() {
            return new CustomFieldValues(values.deepCopy());
        }

        private static void expect(CustomField field, CustomFieldType type) {
            if (field.type() != type) {
                throw new IllegalArgumentException(field.name() + " is a " + field.type().wireName()
                        + " field, not " + type.wireName());
            }
        }
    }
}
