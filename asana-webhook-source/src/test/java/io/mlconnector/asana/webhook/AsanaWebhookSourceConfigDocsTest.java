package io.mlconnector.asana.webhook;

import io.mlconnector.connect.ConfigDocs;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AsanaWebhookSourceConfigDocsTest {

    @Test
    void referencePageMatchesTheConfigDef() throws IOException {
        ConfigDocs.assertUpToDate(Path.of("../docs/asana-webhook-source.md"), ConfigDocs.markdown(
                "Asana webhook source connector", AsanaWebhookSourceConnector.class.getName(),
                "Hosts the Asana webhook endpoint and writes every verified task event to Kafka.",
                AsanaWebhookSourceConfig.configDef()));
    }
}
