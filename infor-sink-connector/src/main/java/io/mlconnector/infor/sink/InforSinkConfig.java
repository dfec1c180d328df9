package io.mlconnector.infor.sink;

import io.mlconnector.connect.ConnectionSettings;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/** Settings of the Infor CloudSuite sink connector, which writes Asana outcomes back to CloudSuite. */
public final class InforSinkConfig extends AbstractConfig {

    public static final String AUDIT_TOPIC = "audit.topic";

    private static final String GROUP_AUDIT = "Audit";

    public InforSinkConfig(Map<String, String> props) {
        super(configDef(), props);
    }

    public static ConfigDef configDef() {
        return ConnectionSettings.defineInfor(new ConfigDef())
                .define(AUDIT_TOPIC, Type.STRING, "ml.audit", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "Topic that receives the outcome of every writeback.",
                        GROUP_AUDIT, 1, Width.MEDIUM, "Audit topic");
    }
}
