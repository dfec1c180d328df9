package io.mlconnector.asana.sink;

import io.mlconnector.asana.AsanaClient;
import io.mlconnector.asana.AsanaException;
import io.mlconnector.asana.AsanaIOException;
import io.mlconnector.asana.CustomField;
import io.mlconnector.asana.CustomFieldCatalog;
import io.mlconnector.asana.CustomFieldSetting;
import io.mlconnector.asana.CustomFieldType;
import io.mlconnector.asana.NotFoundException;
import io.mlconnector.asana.RateLimiter;
import io.mlconnector.asana.UnauthorizedException;
import io.mlconnector.asana.connect.AsanaClients;
import io.mlconnector.connect.ConnectionSettings.AsanaTokenType;
import io.mlconnector.connect.ConnectionSettings;
import io.mlconnector.connect.KafkaClusterCheck;
import io.mlconnector.connect.LiveValidation;
import io.mlconnector.connect.SettingException;
import io.mlconnector.connect.ledger.TaskLedger;
import io.mlconnector.connect.lifecycle.ManagedSinkConnector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigException;

/** Upserts one Asana task per purchase order or supplier invoice, with custom fields resolved by GID. */
public class AsanaSinkConnector extends ManagedSinkConnector<AsanaSinkConfig> {

    public AsanaSinkConnector() {
        super(AsanaSinkConfig.configDef(), AsanaSinkConnector::parse, AsanaSinkTask.class);
    }

    /** A mapping problem the config cannot pin on a setting of its own is one of the upsert key's. */
    private static AsanaSinkConfig parse(Map<String, String> settings) {
        try {
            return new AsanaSinkConfig(settings);
        } catch (SettingException e) {
            throw e;
        } catch (ConfigException e) {
            throw new SettingException(AsanaSinkConfig.KEY_FIELD, e.getMessage());
        }
    }

    /** Every task gets the same settings; Connect spreads the topic partitions over them. */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        // each task spends its part of the connector's share of the token's budget, wherever it runs
        Map<String, String> taskProps = new HashMap<>(settings());
        taskProps.put(ConnectionSettings.ASANA_RATE_LIMIT_TASKS, String.valueOf(maxTasks));
        List<Map<String, String>> configs = new ArrayList<>();
        for (int i = 0; i < maxTasks; i++) {
            configs.add(taskProps);
        }
        return configs;
    }

    @Override
    protected void checkAcrossSettings(Map<String, String> settings, LiveValidation validation) {
        ConnectionSettings.asanaGrantProblem(settings).ifPresent(e -> validation.error(e.setting(), e.reason()));
    }

    /**
     * The ledger's Kafka cluster answers ({@link KafkaClusterCheck}), the token works, the workspace and project
     * exist, and every mapped custom field is on the project with a type its template can fill.
     */
    @Override
    protected void checkLive(AsanaSinkConfig config, Map<String, String> settings, LiveValidation validation) {
        KafkaClusterCheck.check(validation, settings, Map.of(TaskLedger.BOOTSTRAP, TaskLedger.CLIENT_PREFIX));
        try (AsanaClient client = AsanaClients.create(config)) {
            checkAgainstAsana(config, client, validation::error);
        } catch (RateLimiter.BudgetConflictException e) {
            validation.error(ConnectionSettings.ASANA_RATE_LIMIT, e.getMessage());
        }
    }

    private static void checkAgainstAsana(AsanaSinkConfig config, AsanaClient client,
            BiConsumer<String, String> error) {
        String project = config.getString(AsanaSinkConfig.PROJECT);
        CustomFieldCatalog catalog;
        Set<String> onProject;
        try {
            catalog = client.customFields(config.getString(AsanaSinkConfig.WORKSPACE));
        } catch (UnauthorizedException e) {
            error.accept(ConnectionSettings.asanaCredentialSetting(config), "Asana does not accept these credentials: "
                    + e.getMessage());
            return;
        } catch (NotFoundException e) {
            error.accept(AsanaSinkConfig.WORKSPACE, "no workspace with this GID is visible to the token");
            return;
        } catch (AsanaException | AsanaIOException e) {
            error.accept(AsanaSinkConfig.BASE_URL, "cannot reach Asana: " + e.getMessage());
            return;
        }
        try {
            onProject = client.listProjectCustomFieldSettings(project).stream()
                    .map(CustomFieldSetting::customField).map(CustomField::gid).collect(Collectors.toSet());
        } catch (NotFoundException e) {
            error.accept(AsanaSinkConfig.PROJECT, "no project with this GID is visible to the token");
            return;
        } catch (AsanaException | AsanaIOException e) {
            error.accept(AsanaSinkConfig.PROJECT, "cannot read the project's custom fields: " + e.getMessage());
            return;
        }
        config.customFieldTemplates().forEach((field, template) ->
                checkField(catalog, onProject, field, AsanaSinkConfig.CUSTOM_FIELDS, error).ifPresent(f ->
                        TaskMapper.typeProblems(f, template).forEach(p -> error.accept(AsanaSinkConfig.CUSTOM_FIELDS, p))));
        if (config.tokenType() == AsanaTokenType.PAT) {
            checkField(catalog, onProject, config.getString(AsanaSinkConfig.KEY_FIELD), AsanaSinkConfig.KEY_FIELD, error)
                    .filter(f -> f.type() != CustomFieldType.TEXT)
                    .ifPresent(f -> error.accept(AsanaSinkConfig.KEY_FIELD, "'" + f.name() + "' is a "
                            + f.type().wireName() + " field; the upsert key needs a text field"));
        }
        config.seedTopics().forEach((topic, field) ->
                checkField(catalog, onProject, field, AsanaSinkConfig.ENUM_SEED_TOPICS, error)
                        .filter(f -> f.type() != CustomFieldType.ENUM)
                        .ifPresent(f -> error.accept(AsanaSinkConfig.ENUM_SEED_TOPICS, "'" + f.name()
                                + "' is a " + f.type().wireName() + " field; only enum fields take seeded options")));
    }

    private static Optional<CustomField> checkField(CustomFieldCatalog catalog, Set<String> onProject,
            String nameOrGid, String setting, BiConsumer<String, String> error) {
        Optional<CustomField> field = catalog.byGid(nameOrGid).or(() -> catalog.byName(nameOrGid));
        if (field.isEmpty()) {
            error.accept(setting, "the workspace has no custom field named or numbered '" + nameOrGid + "'");
        } else if (!onProject.contains(field.get().gid())) {
            error.accept(setting, "custom field '" + field.get().name() + "' is not added to the project");
            return Optional.empty();
        }
        return field;
    }
}
