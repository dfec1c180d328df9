package io.mlconnector.connect.ledger;

import io.mlconnector.connect.RecordView;
import io.mlconnector.connect.Template;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which CloudSuite record a task stands for, as the Infor source keyed it: tenant, company (M3 CONO or
 * SyteLine site), entity and number, plus the backend and the M3 division from the record's value.
 * This, never a custom field a user can edit, is what a writeback targets.
 */
public record RecordIdentity(String backend, String tenant, String company, String division, String entity,
        String number) {

    /** The identity of an Infor source record, or empty when its key lacks tenant, company, entity or number. */
    public static Optional<RecordIdentity> of(RecordView record) {
        String tenant = text(record.get("key.tenant"));
        String company = text(record.get("key.company"));
        String entity = text(record.get("key.entity"));
        String number = text(record.get("key.number"));
        if (tenant == null || company == null || entity == null || number == null) {
            return Optional.empty();
        }
        return Optional.of(new RecordIdentity(text(record.get("backend")), tenant, company,
                text(record.get("division")), entity, number));
    }

    /** The identity as the {@code record.*} fields a writeback rule's templates read. */
    public Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("backend", backend);
        fields.put("tenant", tenant);
        fields.put("company", company);
        fields.put("division", division);
        fields.put("entity", entity);
        fields.put("number", number);
        return fields;
    }

    private static String text(Object value) {
        if (value == null) {
            return null;
        }
        String text = Template.format(value).strip();
        return text.isEmpty() ? null : text;
    }
}
