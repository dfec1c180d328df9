package io.mlconnector.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

/** What one client of a connector may spend of its token's budget. */
class AsanaShareTest {

    private static int share(Map<String, String> props) {
        Map<String, String> all = new HashMap<>(props);
        all.put(ConnectionSettings.ASANA_TOKEN, "pat");
        return ConnectionSettings.asanaShare(new AbstractConfig(ConnectionSettings.defineAsana(new ConfigDef()), all));
    }

    @Test
    void theConnectorsPartSplitAmongTheTasksItTold() {
        assertEquals(400, share(Map.of("asana.rate.limit.per.minute", "1500", "asana.rate.limit.share.percent", "80",
                "asana.rate.limit.tasks", "3", "tasks.max", "5")), "the connector's count wins over tasks.max");
        assertEquals(300, share(Map.of("asana.rate.limit.per.minute", "1500", "asana.rate.limit.share.percent", "80",
                "tasks.max", "4")), "a connector's own client (validate) splits by tasks.max");
        assertEquals(1500, share(Map.of()), "by default the whole budget for a lone client");
        assertEquals(1, share(Map.of("asana.rate.limit.per.minute", "150", "asana.rate.limit.share.percent", "1",
                "asana.rate.limit.tasks", "8")), "never nothing");
    }
}
