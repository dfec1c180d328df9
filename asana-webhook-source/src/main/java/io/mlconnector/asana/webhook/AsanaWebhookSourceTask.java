package io.mlconnector.asana.webhook;

import io.mlconnector.connect.PluginVersion;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

/** The task of the Asana webhook source connector, which receives task changes by signed webhook. Its data flow arrives with the connector's own issue. */
public class AsanaWebhookSourceTask extends SourceTask {

    @Override
    public String version() {
        return PluginVersion.get();
    }

    @Override
    public void start(Map<String, String> props) {
        throw new ConnectException("The Asana webhook source connector, which receives task changes by signed webhook does not move data yet in version " + version());
    }

    @Override
    public List<SourceRecord> poll() {
        return null;
    }

    @Override
    public void stop() {
    }
}
