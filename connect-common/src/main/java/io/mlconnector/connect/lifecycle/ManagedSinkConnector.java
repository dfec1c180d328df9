package io.mlconnector.connect.lifecycle;

import io.mlconnector.connect.LiveValidation;
import io.mlconnector.connect.PluginVersion;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * The lifecycle every sink connector of the product shares (see {@link ConnectorLifecycle}): final start, stop and
 * validate; a connector adds its task split and its checks.
 *
 * @param <C> the parsed settings
 */
public abstract class ManagedSinkConnector<C> extends SinkConnector {
    private final ConnectorLifecycle<C> lifecycle;

    protected ManagedSinkConnector(ConfigDef definition, Function<Map<String, String>, C> parse,
            Class<? extends Task> taskClass) {
        this.lifecycle = new ConnectorLifecycle<>(definition, parse, taskClass);
    }

    @Override
    public final String version() {
        return PluginVersion.get();
    }

    @Override
    public final ConfigDef config() {
        return lifecycle.definition();
    }

    @Override
    public final Class<? extends Task> taskClass() {
        return lifecycle.taskClass();
    }

    @Override
    public final void start(Map<String, String> settings) {
        started(lifecycle.start(settings));
    }

    @Override
    public final void stop() {
        lifecycle.stop();
    }

    @Override
    public final Config validate(Map<String, String> settings) {
        return lifecycle.validate(super.validate(settings), settings, this::checkAcrossSettings, this::checkLive);
    }

    /** Called once the settings parsed at start; no network here, since Connect may call taskConfigs again. */
    protected void started(C config) {
    }

    /** The settings the connector started with. */
    protected final Map<String, String> settings() {
        return lifecycle.settings();
    }

    /** Problems of settings taken together, each put on the setting to change; no network. */
    protected void checkAcrossSettings(Map<String, String> settings, LiveValidation validation) {
    }

    /** Checks against the systems the connector will use, after every other check passed. */
    protected void checkLive(C config, Map<String, String> settings, LiveValidation validation) {
    }
}
