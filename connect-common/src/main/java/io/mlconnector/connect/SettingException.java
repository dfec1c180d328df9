package io.mlconnector.connect;

import org.apache.kafka.common.config.ConfigException;

/**
 * A config problem that names the one setting to change, even when it arises from two settings together, so that
 * {@code validate} can put the reason on that field instead of guessing it from the message.
 */
public class SettingException extends ConfigException {
    private static final long serialVersionUID = 1L;

    private final String setting;
    private final String reason;

    public SettingException(String setting, String reason) {
        super(setting + ": " + reason);
        this.setting = setting;
        this.reason = reason;
    }

    public String setting() {
        return setting;
    }

    /** The reason alone, for the field's error in validate. */
    public String reason() {
        return reason;
    }
}
