package io.mlconnector.infor.sink;

import io.mlconnector.connect.ConnectionSettings;
import io.mlconnector.infor.IonApiCredentials;
import io.mlconnector.infor.IonClient;
import java.time.Duration;

/** Builds the ION client a connector's settings describe. */
final class InforClients {

    private InforClients() {
    }

    static IonClient create(InforSinkConfig config) {
        return builder(config).build();
    }

    /** For the connector's validate: the worker's cached token, and few new logins (see {@link IonClient.Builder#forValidation()}). */
    static IonClient forValidation(InforSinkConfig config) {
        return builder(config).forValidation().build();
    }

    private static IonClient.Builder builder(InforSinkConfig config) {
        return IonClient.builder(IonApiCredentials.parse(config.ionCredentials()))
                .requestTimeout(Duration.ofMillis(config.getInt(ConnectionSettings.ION_REQUEST_TIMEOUT)));
    }
}
