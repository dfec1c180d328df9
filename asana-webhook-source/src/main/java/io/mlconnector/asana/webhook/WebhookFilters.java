package io.mlconnector.asana.webhook;

import io.mlconnector.asana.Event;
import io.mlconnector.asana.WebhookFilter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The webhook's filters, from 'resource_type:action[:field|field]' entries. The same filters decide
 * which events-API events the catch-up keeps, so both paths see the same set of events.
 */
public record WebhookFilters(List<WebhookFilter> filters) {

    public WebhookFilters {
        filters = List.copyOf(filters);
    }

    static WebhookFilters parse(List<String> entries) {
        List<WebhookFilter> filters = new ArrayList<>();
        for (String entry : entries) {
            String[] parts = entry.trim().split(":", -1);
            if (parts.length < 2 || parts.length > 3 || parts[0].isBlank() || parts[1].isBlank()) {
                throw new IllegalArgumentException("expected 'resource_type:action[:field|field]', got '" + entry + "'");
            }
            List<String> fields = parts.length == 3
                    ? Arrays.stream(parts[2].split("\\|")).map(String::trim).filter(f -> !f.isEmpty()).toList()
                    : List.of();
            filters.add(new WebhookFilter(parts[0].trim(), null, parts[1].trim(), fields));
        }
        if (filters.isEmpty()) {
            throw new IllegalArgumentException("at least one filter is needed");
        }
        return new WebhookFilters(filters);
    }

    /**
     * Asana's rule: an event passes when it matches any filter. An event that does not say which field changed (a
     * task state the catch-up reconciled) passes a filter on fields: it may hold a change to one of them.
     */
    boolean pass(Event event) {
        String type = event.resource() == null ? null : event.resource().resourceType();
        String field = event.change() == null ? null : event.change().field();
        return filters.stream().anyMatch(f -> f.resourceType().equals(type) && f.action().equals(event.action())
                && (f.fields().isEmpty() || field == null || f.fields().contains(field)));
    }
}
