package io.mlconnector.infor.source;

import io.mlconnector.connect.ConfigDocs;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class InforSourceConfigDocsTest {

    @Test
    void referencePageMatchesTheConfigDef() throws IOException {
        ConfigDocs.assertUpToDate(Path.of("../docs/infor-source-connector.md"), ConfigDocs.markdown(
                "Infor CloudSuite source connector", InforSourceConnector.class.getName(),
                "Reads new and changed purchase orders, supplier invoices, suppliers and GL accounts from Infor CloudSuite (M3 or SyteLine) through the ION API Gateway.",
                InforSourceConfig.configDef()));
    }
}
