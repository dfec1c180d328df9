package io.mlconnector.asana.webhook;

import java.time.Duration;

/**
 * What the endpoint allows a client: open connections, deadlines, body size, and how many verified deliveries
 * run or wait at once. Each is a setting of {@link AsanaWebhookSourceConfig}, which explains it.
 */
record ListenerLimits(int maxConnections, Duration idleTimeout, Duration headerTimeout, Duration requestTimeout,
        int maxBodyBytes, int maxConcurrentDeliveries, int maxQueuedDeliveries) {

    static ListenerLimits from(AsanaWebhookSourceConfig config) {
        return new ListenerLimits(config.getInt(AsanaWebhookSourceConfig.MAX_CONNECTIONS),
                config.duration(AsanaWebhookSourceConfig.IDLE_TIMEOUT),
                config.duration(AsanaWebhookSourceConfig.HEADER_TIMEOUT),
                config.duration(AsanaWebhookSourceConfig.REQUEST_TIMEOUT),
                config.getInt(AsanaWebhookSourceConfig.MAX_BODY),
                config.getInt(AsanaWebhookSourceConfig.MAX_CONCURRENT_DELIVERIES),
                config.getInt(AsanaWebhookSourceConfig.MAX_QUEUED_DELIVERIES));
    }
}
