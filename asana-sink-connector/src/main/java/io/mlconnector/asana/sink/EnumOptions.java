package io.mlconnector.asana.sink;

import io.mlconnector.asana.AsanaClient;
import io.mlconnector.asana.BadRequestException;
import io.mlconnector.asana.CustomField;
import io.mlconnector.asana.EnumOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The options of the mapped enum fields, by name, created on demand. Options are added, never
 * deleted; Asana caps a field at {@value CustomField#MAX_ENUM_OPTIONS} options, disabled ones included.
 */
final class EnumOptions {

    private static final Logger log = LoggerFactory.getLogger(EnumOptions.class);

    private final AsanaClient client;
    private final Map<String, Field> fields = new ConcurrentHashMap<>();

    EnumOptions(AsanaClient client) {
        this.client = client;
    }

    /** The enabled option of that name, created first when {@code create} allows it. */
    EnumOption option(CustomField field, String name, boolean create) {
        Field options = fields.computeIfAbsent(field.gid(), gid -> new Field(field));
        EnumOption existing = options.byName.get(name);
        if (existing != null) {
            return existing;
        }
        if (!create) {
            throw new MappingException("custom field '" + field.name() + "' has no option '" + name
                    + "' and enum.auto.create is false");
        }
        return options.create(name);
    }

    int created() {
        return fields.values().stream().mapToInt(f -> f.created).sum();
    }

    private final class Field {
        private final CustomField field;
        private final Map<String, EnumOption> byName = new ConcurrentHashMap<>();
        private int count;
        private int created;
        private boolean warnedFull;

        Field(CustomField field) {
            this.field = field;
            for (EnumOption option : field.enumOptions()) {
                if (option.enabled()) {
                    byName.putIfAbsent(option.name(), option);
                }
            }
            this.count = field.enumOptions().size();
        }

        synchronized EnumOption create(String name) {
            EnumOption raced = byName.get(name);
            if (raced != null) {
                return raced;
            }
            // another sink task (or a person) may have added it since this task read the field
            CustomField fresh = client.getCustomField(field.gid());
            fresh.enumOptions().stream().filter(EnumOption::enabled).forEach(o -> byName.putIfAbsent(o.name(), o));
            count = Math.max(count, fresh.enumOptions().size());
            if (byName.containsKey(name)) {
                return byName.get(name);
            }
            if (count >= CustomField.MAX_ENUM_OPTIONS) {
                if (!warnedFull) {
                    warnedFull = true;
                    log.warn("Custom field '{}' ({}) has reached Asana's cap of {} enum options; records needing "
                            + "new options go to the dead letter queue. Disable or rename unused options in Asana.",
                            field.name(), field.gid(), CustomField.MAX_ENUM_OPTIONS);
                }
                throw new MappingException("custom field '" + field.name() + "' is full ("
                        + CustomField.MAX_ENUM_OPTIONS + " options); cannot add '" + name + "'");
            }
            EnumOption option;
            try {
                option = client.createEnumOption(withCount(), name, null);
            } catch (BadRequestException rejected) {
                // another task added the same name between our read and our create: use theirs
                EnumOption theirs = client.getCustomField(field.gid()).option(name).orElseThrow(() ->
                        new MappingException("Asana refused option '" + name + "' for '" + field.name() + "': "
                                + rejected.getMessage()));
                byName.put(name, theirs);
                return theirs;
            }
            log.info("Added option '{}' to custom field '{}'", name, field.name());
            byName.put(name, option);
            count++;
            created++;
            return option;
        }

        /** The field as the client checks it: the cap counts options we added since it was read. */
        private CustomField withCount() {
            List<EnumOption> options = new ArrayList<>(field.enumOptions());
            byName.values().stream().filter(o -> !options.contains(o)).forEach(options::add);
            return new CustomField(field.gid(), field.name(), field.type(), field.precision(), field.format(),
                    field.currencyCode(), options);
        }
    }
}
