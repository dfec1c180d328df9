package io.mlconnector.infor.source;

import io.mlconnector.connect.ConnectionSettings;
import io.mlconnector.connect.ConnectionSettings.InforBackend;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/** Settings of the Infor CloudSuite source connector. */
public final class InforSourceConfig extends AbstractConfig {

    public static final String ENTITIES = "infor.entities";
    public static final String TOPIC_TEMPLATE = "topic.template";

    private static final String GROUP_TOPICS = "Topics";

    public InforSourceConfig(Map<String, String> props) {
        super(configDef(), props);
    }

    public static ConfigDef configDef() {
        return ConnectionSettings.defineInfor(new ConfigDef())
                .define(ENTITIES, Type.LIST, "purchase-orders,supplier-invoices",
                        ConfigDef.ValidList.in("purchase-orders", "supplier-invoices", "suppliers", "gl-accounts"),
                        Importance.HIGH, "The business objects to read, one topic each.",
                        ConnectionSettings.GROUP_INFOR, 3, Width.LONG, "Entities")
                .define(TOPIC_TEMPLATE, Type.STRING, "infor.${tenant}.${entity}", new ConfigDef.NonEmptyString(),
                        Importance.MEDIUM, "Topic name per entity; ${tenant} and ${entity} are replaced.",
                        GROUP_TOPICS, 1, Width.MEDIUM, "Topic template");
    }

    public InforBackend backend() {
        return InforBackend.parse(getString(ConnectionSettings.INFOR_BACKEND));
    }

    public List<String> entities() {
        return getList(ENTITIES);
    }
}
