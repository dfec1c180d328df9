package io.mlconnector.asana.connect;

import io.mlconnector.asana.AsanaClient;
import io.mlconnector.asana.AsanaCredentials;
import io.mlconnector.connect.ConnectionSettings;
import io.mlconnector.connect.ConnectionSettings.AsanaGrant;
import io.mlconnector.connect.ConnectionSettings.AsanaTokenType;
import java.time.Duration;
import org.apache.kafka.common.config.AbstractConfig;

/** Builds the Asana client a connector's settings describe; both Asana connectors define those settings alike. */
public final class AsanaClients {

    private AsanaClients() {
    }

    public static AsanaClient create(AbstractConfig config) {
        AsanaGrant grant = ConnectionSettings.asanaGrant(config);
        AsanaCredentials credentials = grant.type() == AsanaTokenType.OAUTH
                ? AsanaCredentials.oauth(grant.accessToken(), grant.refreshToken(), grant.clientId(),
                        grant.clientSecret(), grant.redirectUri(), grant.tokenUrl())
                : AsanaCredentials.personalAccessToken(grant.accessToken());
        return AsanaClient.builder(credentials)
                .baseUrl(config.getString(ConnectionSettings.ASANA_BASE_URL))
                .budget(config.getInt(ConnectionSettings.ASANA_RATE_LIMIT),
                        Duration.ofMillis(config.getLong(ConnectionSettings.ASANA_RATE_WINDOW)))
                .share(ConnectionSettings.asanaShare(config))
                .requestTimeout(Duration.ofMillis(config.getInt(ConnectionSettings.ASANA_REQUEST_TIMEOUT)))
                .build();
    }
}
