package io.mlconnector.asana;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A registered webhook with its delivery health. {@code failureDeletionAt} is when Asana deletes it
 * unless a delivery succeeds first.
 */
public record Webhook(String gid, Resource resource, String target, boolean active, Instant createdAt,
        List<WebhookFilter> filters, Instant lastSuccessAt, Instant lastFailureAt, String lastFailureContent,
        int deliveryRetryCount, Instant nextAttemptAfter, Instant failureDeletionAt) {

    static final String FIELDS = "resource.name,target,active,created_at,filters,last_success_at,last_failure_at,"
            + "last_failure_content,delivery_retry_count,next_attempt_after,failure_deletion_timestamp";

    public Webhook {
        filters = List.copyOf(filters);
    }

    static Webhook from(JsonNode node) {
        List<WebhookFilter> filters = new ArrayList<>();
        node.path("filters").forEach(f -> filters.add(WebhookFilter.from(f)));
        return new Webhook(node.path("gid").asText(), Resource.from(node.get("resource")), JsonFields.text(node, "target"),
                node.path("active").asBoolean(false), JsonFields.instant(node, "created_at"), filters,
                JsonFields.instant(node, "last_success_at"), JsonFields.instant(node, "last_failure_at"),
                JsonFields.text(node, "last_failure_content"), node.path("delivery_retry_count").asInt(0),
                JsonFields.instant(node, "next_attempt_after"), JsonFields.instant(node, "failure_deletion_timestamp"));
    }
}
