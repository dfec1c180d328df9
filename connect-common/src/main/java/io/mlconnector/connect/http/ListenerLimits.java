package io.mlconnector.connect.http;

import java.time.Duration;

/**
 * What an {@link HttpListener} allows a client: open connections, deadlines, body size, and how many verified
 * deliveries run or wait at once in its {@link DeliveryStage}. The connector's settings explain each.
 */
public record ListenerLimits(int maxConnections, Duration idleTimeout, Duration headerTimeout, Duration requestTimeout,
        int maxBodyBytes, int maxConcurrentDeliveries, int maxQueuedDeliveries) {
}
