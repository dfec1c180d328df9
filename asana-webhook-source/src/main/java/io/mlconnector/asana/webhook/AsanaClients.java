package io.mlconnector.asana.webhook;

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

    static AsanaClient create(AsanaWebhookSourceConfig config) {
        AsanaGrant grant = ConnectionSettings.asanaGrant(config);
        AsanaCredentials credentials = grant.type() == AsanaTokenType.OAUTH
                ? AsanaCredentials.oauth(grant.accessToken(), grant.refreshToken(), grant.clientId(),
                        grant.clientSecret(), grant.redirectUri(), grant.tokenUrl())
                : AsanaCredentials.personalAccessToken(grant.accessToken());
        return AsanaClient.builder(credentials)
                .baseUrl(config.getString(AsanaWebhookSourceConfig.BASE_URL))
                .budget(config.getInt(AsanaWebhookSourceConfig.RATE_LIMIT),
                        Duration.ofMillis(config.getLong(ConnectionSettings.ASANA_RATE_WINDOW)))
                .share(ConnectionSettings.asanaShare(config))
                .requestTimeout(Duration.ofMillis(config.getInt(ConnectionSettings.ASANA_REQUEST_TIMEOUT)))
                .build();
    }
}
