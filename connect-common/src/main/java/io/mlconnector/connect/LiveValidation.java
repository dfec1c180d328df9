package io.mlconnector.connect;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;

/**
 * The answer of {@code Connector.validate()} after the ConfigDef's own checks, to which a live check
 * (a token, a project, a transaction) adds errors on the setting at fault. Live checks run only when
 * the static ones passed, so a typo is reported before any network call.
 */
public final class LiveValidation {

    private final Config result;
    private final Map<String, ConfigValue> byName;

    private LiveValidation(Config result) {
        this.result = result;
        this.byName = result.configValues().stream().collect(Collectors.toMap(ConfigValue::name, Function.identity()));
    }

    public static LiveValidation of(Config result) {
        return new LiveValidation(result);
    }

    /** True when the ConfigDef's checks already found a problem; the live check is then skipped. */
    public boolean hasStaticErrors() {
        return byName.values().stream().anyMatch(v -> !v.errorMessages().isEmpty());
    }

    /** True when the named setting has an error already, so a check that builds on it is skipped. */
    public boolean hasErrors(String setting) {
        return !byName.get(setting).errorMessages().isEmpty();
    }

    /** Adds an error to the named setting, shown by {@code PUT /connector-plugins/.../config/validate}. */
    public void error(String setting, String message) {
        byName.get(setting).addErrorMessage(message);
    }

    public Config result() {
        return result;
    }
}
