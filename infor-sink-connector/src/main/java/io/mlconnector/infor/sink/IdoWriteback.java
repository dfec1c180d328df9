package io.mlconnector.infor.sink;

import io.mlconnector.connect.KeyValueList;
import io.mlconnector.connect.RecordView;
import io.mlconnector.connect.Template;
import io.mlconnector.infor.IdoChange;
import io.mlconnector.infor.IdoClient;
import io.mlconnector.infor.IdoException;
import io.mlconnector.infor.IdoItem;
import io.mlconnector.infor.IdoLoadRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigException;

/**
 * Sets properties on one SyteLine IDO row: loads the row by its key, leaves it alone when it already
 * holds the values, else updates it through its _ItemId (whose timestamp gives optimistic locking).
 */
final class IdoWriteback implements WritebackAction {

    private final io.mlconnector.infor.IonClient ion;
    private final String defaultSite;
    private final String name;
    private final RecordState allowed;
    private final Map<String, Template> key;
    private final Map<String, Template> properties;

    /** @param defaultSite the Mongoose configuration for events whose record names no site */
    IdoWriteback(String rule, RuleConfig config, io.mlconnector.infor.IonClient ion, String defaultSite) {
        this.ion = ion;
        this.defaultSite = defaultSite;
        this.allowed = RecordState.of(rule, config);
        this.name = config.getString(RuleConfig.IDO_NAME);
        this.key = templates(config.getList(RuleConfig.IDO_KEY));
        this.properties = templates(config.getList(RuleConfig.IDO_PROPERTIES));
    }

    static void check(String rule, RuleConfig config) {
        if (!config.getString(RuleConfig.IDO_NAME).matches("[A-Za-z][A-Za-z0-9_]*")) {
            throw new ConfigException(WritebackRule.setting(rule, RuleConfig.IDO_NAME),
                    config.getString(RuleConfig.IDO_NAME), "expected an IDO name such as SLPos");
        }
        for (String setting : List.of(RuleConfig.IDO_KEY, RuleConfig.IDO_PROPERTIES)) {
            if (config.getList(setting).isEmpty()) {
                throw new ConfigException(WritebackRule.setting(rule, setting), "", "needs at least one Property=template");
            }
        }
        RecordState.parse(WritebackRule.setting(rule, RuleConfig.STATE_ALLOWED), config.getList(RuleConfig.STATE_ALLOWED));
    }

    @Override
    public Outcome apply(RecordView event) {
        Map<String, String> keyValues = render(key, event);
        Map<String, String> wanted = render(properties, event);
        List<String> loaded = new ArrayList<>(keyValues.keySet());
        wanted.keySet().stream().filter(p -> !loaded.contains(p)).forEach(loaded::add);
        allowed.fields().stream().filter(p -> !loaded.contains(p)).forEach(loaded::add);
        // the row is read and written in the record's own site, from the task ledger
        Object recordSite = event.get("record.company");
        String site = recordSite == null ? defaultSite : Template.format(recordSite);
        if (site == null || site.isBlank()) {
            return Outcome.rejected("the record names no SyteLine site and syteline.mongoose.config is not set, so "
                    + "there is no Mongoose configuration to write " + name + " in");
        }
        IdoClient ido = ion.ido(site);
        List<IdoItem> rows;
        try {
            rows = ido.load(IdoLoadRequest.builder(name).properties(loaded.toArray(String[]::new))
                    .filter(filter(keyValues)).recordCap(2).build()).items();
        } catch (IdoException rejected) {
            return Outcome.rejected(rejected.getMessage());
        }
        if (rows.size() != 1) {
            return Outcome.rejected(name + " has " + (rows.isEmpty() ? "no row" : "more than one row") + " with " + keyValues);
        }
        IdoItem row = rows.get(0);
        Map<String, String> state = new LinkedHashMap<>();
        allowed.fields().forEach(p -> state.put(p, row.get(p)));
        java.util.Optional<String> refusal = allowed.refusal(name + " row " + keyValues, state);
        if (refusal.isPresent() && wanted.entrySet().stream().anyMatch(p -> !Objects.equals(p.getValue(), row.get(p.getKey())))) {
            return allowed.refused(refusal.get());
        }
        if (wanted.entrySet().stream().allMatch(p -> Objects.equals(p.getValue(), row.get(p.getKey())))) {
            return Outcome.alreadyApplied(name + " row already holds " + wanted);
        }
        try {
            ido.update(name, List.of(IdoChange.update(row.itemId(), wanted)), false);
            return Outcome.applied(name + " update");
        } catch (IdoException rejected) {
            return Outcome.rejected(rejected.getMessage());
        }
    }

    @Override
    public String describe() {
        return "IDO " + name + " update";
    }

    /** A filter matching the key exactly; N'' literals with quotes doubled, as Mongoose expects. */
    private static String filter(Map<String, String> keyValues) {
        return keyValues.entrySet().stream()
                .map(e -> e.getKey() + " = N'" + e.getValue().replace("'", "''") + "'")
                .collect(Collectors.joining(" AND "));
    }

    private static Map<String, String> render(Map<String, Template> templates, RecordView event) {
        Map<String, String> values = new LinkedHashMap<>();
        templates.forEach((property, template) -> values.put(property, template.render(event)));
        return values;
    }

    private static Map<String, Template> templates(List<String> pairs) {
        return Template.of(KeyValueList.parse(pairs));
    }
}
