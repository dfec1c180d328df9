package io.mlconnector.infor.sink;

import io.mlconnector.connect.PluginVersion;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/** The task of the Infor CloudSuite sink connector, which writes Asana outcomes back to CloudSuite. Its data flow arrives with the connector's own issue. */
public class InforSinkTask extends SinkTask {

    @Override
    public String version() {
        return PluginVersion.get();
    }

    @Override
    public void start(Map<String, String> props) {
        throw new ConnectException("The Infor CloudSuite sink connector, which writes Asana outcomes back to CloudSuite does not move data yet in version " + version());
    }

    @Override
    public void put(Collection<SinkRecord> records) {
    }

    @Override
    public void stop() {
    }
}
