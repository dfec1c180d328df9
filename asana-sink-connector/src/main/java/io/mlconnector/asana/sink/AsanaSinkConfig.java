package io.mlconnector.asana.sink;

import io.mlconnector.connect.ConnectionSettings;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/** Settings of the Asana sink connector, which upserts one task per purchase order or supplier invoice. */
public final class AsanaSinkConfig extends AbstractConfig {

    public static final String WORKSPACE = "asana.workspace.gid";
    public static final String PROJECT = "asana.project.gid";

    public AsanaSinkConfig(Map<String, String> props) {
        super(configDef(), props);
    }

    public static ConfigDef configDef() {
        return ConnectionSettings.defineAsana(new ConfigDef())
                .define(WORKSPACE, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                        Importance.HIGH, "GID of the Asana workspace whose custom fields the tasks carry.",
                        ConnectionSettings.GROUP_ASANA, 2, Width.MEDIUM, "Workspace GID")
                .define(PROJECT, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                        Importance.HIGH, "GID of the Asana project the approval tasks belong to.",
                        ConnectionSettings.GROUP_ASANA, 3, Width.MEDIUM, "Project GID");
    }
}
