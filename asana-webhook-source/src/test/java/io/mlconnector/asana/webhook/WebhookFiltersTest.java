package io.mlconnector.asana.webhook;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlconnector.asana.Event;
import io.mlconnector.asana.Resource;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookFiltersTest {

    private static final WebhookFilters COMPLETIONS = WebhookFilters.parse(List.of("task:changed:completed|custom_fields"));

    private static Event changed(String field) {
        return new Event("changed", new Resource("1201", "task", "PO 1"), "default_task", null,
                new Resource("1300", "user", "Ann"), Instant.parse("2026-12-06T10:00:00Z"),
                field == null ? null : new Event.Change(field, "changed", null, null, null));
    }

    @Test
    void aFilterOnFieldsPassesChangesToThoseFieldsOnly() {
        assertTrue(COMPLETIONS.pass(changed("completed")));
        assertTrue(COMPLETIONS.pass(changed("custom_fields")));
        assertFalse(COMPLETIONS.pass(changed("name")));
    }

    @Test
    void anEventThatDoesNotSayWhichFieldChangedPassesAFilterOnFields() {
        // a task state the catch-up reconciled after a gap: it may hold the completion the filter is for
        assertTrue(COMPLETIONS.pass(changed(null)));
    }

    @Test
    void otherResourcesAndActionsDoNotPass() {
        assertFalse(COMPLETIONS.pass(new Event("added", new Resource("1201", "task", "PO 1"), "default_task", null, null,
                Instant.parse("2026-12-06T10:00:00Z"), null)));
        assertFalse(COMPLETIONS.pass(new Event("changed", new Resource("1401", "story", null), null, null, null,
                Instant.parse("2026-12-06T10:00:00Z"), new Event.Change("text", "changed", null, null, null))));
    }
}
