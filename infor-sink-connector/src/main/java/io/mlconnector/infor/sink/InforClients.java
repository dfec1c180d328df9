package io.mlconnector.infor.sink;

import io.mlconnector.infor.IonApiCredentials;
import io.mlconnector.infor.IonClient;

/** Builds the ION client a connector's settings describe. */
final class InforClients {

    private InforClients() {
    }

    static IonClient create(InforSinkConfig config) {
        return IonClient.builder(IonApiCredentials.parse(config.ionCredentials())).build();
    }
}
