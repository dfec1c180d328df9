package io.mlconnector.ion.bod;

import io.mlconnector.connect.ConfigDocs;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class IonBodSourceConfigDocsTest {

    @Test
    void referencePageMatchesTheConfigDef() throws IOException {
        ConfigDocs.assertUpToDate(Path.of("../docs/ion-bod-source.md"), ConfigDocs.markdown(
                "ION BOD source connector", IonBodSourceConnector.class.getName(),
                "Receives the purchase-order and supplier-invoice BODs an ION document flow pushes over IMS v3, "
                        + "and writes the records the Infor CloudSuite source writes. Setup: "
                        + "[ION document flow setup](ion-document-flow.md).",
                IonBodSourceConfig.configDef()));
    }
}
