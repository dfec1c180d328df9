package io.mlconnector.connect;

import java.net.URI;
import java.time.ZoneId;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** ConfigDef validators more than one connector uses; each names the setting and the value in its message. */
public final class SettingValidators {

    private SettingValidators() {
    }

    /**
     * An absolute http(s) URL with a host, or null: a setting required only in some modes, whose constructor and
     * validate say when.
     */
    public static ConfigDef.Validator absoluteHttpUrlOrNull() {
        return ConfigDef.LambdaValidator.with((name, value) -> {
            if (value == null) {
                return;
            }
            try {
                URI uri = URI.create(String.valueOf(value));
                if (uri.getHost() == null || !List.of("http", "https").contains(String.valueOf(uri.getScheme()))) {
                    throw new ConfigException(name, value, "expected an absolute http(s) URL");
                }
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, "not a URL: " + e.getMessage());
            }
        }, () -> "absolute http(s) URL");
    }

    /** A time zone id, e.g. Europe/Stockholm. */
    public static ConfigDef.Validator zoneId() {
        return ConfigDef.LambdaValidator.with((name, value) -> {
            try {
                ZoneId.of(String.valueOf(value));
            } catch (RuntimeException e) {
                throw new ConfigException(name, value, "not a time zone id, e.g. Europe/Stockholm");
            }
        }, () -> "a time zone id, e.g. Europe/Stockholm");
    }
}
