package io.mlconnector.asana.sink;

import io.mlconnector.asana.AsanaClient;
import io.mlconnector.asana.AsanaCredentials;
import io.mlconnector.connect.ConnectionSettings;
import io.mlconnector.connect.ConnectionSettings.AsanaGrant;
import io.mlconnector.connect.ConnectionSettings.AsanaTokenType;
import java.time.Duration;

/** Builds the Asana client a connector's settings describe. */
final class AsanaClients {

    private AsanaClients() {
    }

    static AsanaClient create(AsanaSinkConfig config) {
        AsanaGrant grant = ConnectionSettings.asanaGrant(config);
        AsanaCredentials credentials = grant.type() == AsanaTokenType.OAUTH
                ? AsanaCredentials.oauth(grant.accessToken(), grant.refreshToken(), grant.clientId(),
                        grant.clientSecret(), grant.redirectUri(), grant.tokenUrl())
                : AsanaCredentials.personalAccessToken(grant.accessToken());
        return AsanaClient.builder(credentials)
                .baseUrl(config.getString(AsanaSinkConfig.BASE_URL))
                .budget(config.getInt(AsanaSinkConfig.RATE_LIMIT), config.rateWindow())
                .share(ConnectionSettings.asanaShare(config))
                .requestTimeout(Duration.ofMillis(config.getInt(ConnectionSettings.ASANA_REQUEST_TIMEOUT)))
                .build();
    }
}
