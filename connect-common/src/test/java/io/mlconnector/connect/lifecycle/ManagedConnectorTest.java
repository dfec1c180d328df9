package io.mlconnector.connect.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mlconnector.connect.LiveValidation;
import io.mlconnector.connect.SettingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.junit.jupiter.api.Test;

class ManagedConnectorTest {

    static final ConfigDef DEFINITION = new ConfigDef()
            .define("from", ConfigDef.Type.INT, ConfigDef.Importance.HIGH, "first")
            .define("to", ConfigDef.Type.INT, ConfigDef.Importance.HIGH, "last");

    /** Settings whose "to" must not be before "from": a problem of two settings, put on "to". */
    static final class Range extends AbstractConfig {
        Range(Map<String, String> settings) {
            super(DEFINITION, settings);
            if (getInt("to") < getInt("from")) {
                throw new SettingException("to", "must not be before from (" + getInt("from") + ")");
            }
        }
    }

    static final class RangeConnector extends ManagedSourceConnector<Range> {
        final List<String> calls = new ArrayList<>();

        RangeConnector() {
            super(DEFINITION, Range::new, Task.class);
        }

        @Override
        public List<Map<String, String>> taskConfigs(int maxTasks) {
            return List.of(settings());
        }

        @Override
        protected void checkAcrossSettings(Map<String, String> settings, LiveValidation validation) {
            calls.add("across");
            if ("13".equals(settings.get("from"))) {
                validation.error("from", "unlucky");
            }
        }

        @Override
        protected void checkLive(Range config, Map<String, String> settings, LiveValidation validation) {
            calls.add("live " + config.getInt("from") + ".." + config.getInt("to"));
        }
    }

    private static Map<String, List<String>> errors(Config result) {
        return result.configValues().stream().filter(v -> !v.errorMessages().isEmpty())
                .collect(Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages));
    }

    @Test
    void liveChecksRunOnlyAfterEveryOtherCheckPassed() {
        RangeConnector connector = new RangeConnector();
        assertEquals(Map.of(), errors(connector.validate(Map.of("from", "1", "to", "5"))));
        assertEquals(List.of("across", "live 1..5"), connector.calls);

        connector.calls.clear();
        assertEquals(Map.of("from", List.of("unlucky")), errors(connector.validate(Map.of("from", "13", "to", "20"))));
        assertEquals(List.of("across"), connector.calls, "no live check after a static problem");

        connector.calls.clear();
        assertEquals(1, errors(connector.validate(Map.of("from", "x", "to", "5"))).get("from").size(),
                "the ConfigDef's own check, on its field");
        assertEquals(List.of("across"), connector.calls);
    }

    @Test
    void aProblemOfTwoSettingsLandsOnTheSettingItNames() {
        RangeConnector connector = new RangeConnector();
        assertEquals(Map.of("to", List.of("must not be before from (5)")),
                errors(connector.validate(Map.of("from", "5", "to", "1"))));
        assertEquals(List.of("across"), connector.calls);
    }

    @Test
    void theSettingsAreKeptFromStartToStop() {
        RangeConnector connector = new RangeConnector();
        assertThrows(SettingException.class, () -> connector.start(Map.of("from", "5", "to", "1")));
        connector.start(Map.of("from", "1", "to", "5"));
        assertEquals(List.of(Map.of("from", "1", "to", "5")), connector.taskConfigs(3));
        connector.stop();
        assertThrows(IllegalStateException.class, () -> connector.taskConfigs(1));
    }
}
