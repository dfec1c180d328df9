package io.mlconnector.infor.sink;

import io.mlconnector.connect.ConfigDocs;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class InforSinkConfigDocsTest {

    @Test
    void referencePageMatchesTheConfigDef() throws IOException {
        ConfigDocs.assertUpToDate(Path.of("../docs/infor-sink-connector.md"), ConfigDocs.markdown(
                "Infor CloudSuite sink connector", InforSinkConnector.class.getName(),
                "Writes Asana outcomes back onto the Infor CloudSuite record and records every outcome in the audit topic.",
                InforSinkConfig.configDef())
                + ConfigDocs.section("Writeback rule settings", "Each rule named in `writeback.rules` has these "
                        + "settings; `<rule>` stands for its name.", "writeback.rule.<rule>.", RuleConfig.configDef()));
    }
}
