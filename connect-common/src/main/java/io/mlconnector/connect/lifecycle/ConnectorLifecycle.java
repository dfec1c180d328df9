package io.mlconnector.connect.lifecycle;

import io.mlconnector.connect.LiveValidation;
import io.mlconnector.connect.SettingException;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;

/**
 * What a source and a sink connector of the product share, held by {@link ManagedSourceConnector} and
 * {@link ManagedSinkConnector}: the settings parsed at start, and one validation path. Validation runs the
 * ConfigDef's checks, then the checks of settings taken together, and, only when both passed, parses the settings
 * (a {@link SettingException} lands on the setting it names) and runs the live checks, so a typo is reported before
 * any network call.
 */
final class ConnectorLifecycle<C> {

    /** Checks against the systems the connector will use, given the parsed settings. */
    interface LiveChecks<C> {
        void check(C config, Map<String, String> settings, LiveValidation validation);
    }

    private final ConfigDef definition;
    private final Function<Map<String, String>, C> parse;
    private final Class<? extends Task> taskClass;
    private Map<String, String> settings;

    ConnectorLifecycle(ConfigDef definition, Function<Map<String, String>, C> parse, Class<? extends Task> taskClass) {
        this.definition = definition;
        this.parse = parse;
        this.taskClass = taskClass;
    }

    ConfigDef definition() {
        return definition;
    }

    Class<? extends Task> taskClass() {
        return taskClass;
    }

    C start(Map<String, String> settings) {
        C config = parse.apply(settings);
        this.settings = Map.copyOf(settings);
        return config;
    }

    void stop() {
        settings = null;
    }

    Map<String, String> settings() {
        return requireStarted(settings);
    }

    /**
     * @param acrossSettings problems of settings taken together, found without the network
     */
    Config validate(Config definitionChecks, Map<String, String> settings,
            BiConsumer<Map<String, String>, LiveValidation> acrossSettings, LiveChecks<C> live) {
        LiveValidation validation = LiveValidation.of(definitionChecks);
        acrossSettings.accept(settings, validation);
        if (validation.hasStaticErrors()) {
            return validation.result();
        }
        C parsed;
        try {
            parsed = parse.apply(settings);
        } catch (SettingException e) {
            validation.error(e.setting(), e.reason());
            return validation.result();
        }
        live.check(parsed, settings, validation);
        return validation.result();
    }

    private static <T> T requireStarted(T value) {
        if (value == null) {
            throw new IllegalStateException("the connector has not started");
        }
        return value;
    }
}
