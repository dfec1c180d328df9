package io.mlconnector.asana.sink;

import io.mlconnector.connect.ConfigDocs;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AsanaSinkConfigDocsTest {

    @Test
    void referencePageMatchesTheConfigDef() throws IOException {
        ConfigDocs.assertUpToDate(Path.of("../docs/asana-sink-connector.md"), ConfigDocs.markdown(
                "Asana sink connector", AsanaSinkConnector.class.getName(),
                "Upserts one Asana task per purchase order or supplier invoice, with custom fields resolved by GID.",
                AsanaSinkConfig.configDef()));
    }
}
