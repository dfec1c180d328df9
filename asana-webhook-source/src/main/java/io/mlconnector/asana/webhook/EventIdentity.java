package io.mlconnector.asana.webhook;

import io.mlconnector.asana.Event;
import io.mlconnector.asana.Resource;
import io.mlconnector.connect.ledger.Fingerprint;

/**
 * Asana events carry no id, so an event is known by what it says: resource, action, change, parent,
 * user and creation time (ms). The same event from a webhook retry or from the events API gets the
 * same identity. Two changes alike in all of these within one millisecond count as one; the record
 * carries the task's state read after both, so nothing a consumer needs is lost.
 */
final class EventIdentity {

    private EventIdentity() {
    }

    /** 16 hex characters (64 bits of SHA-256): short enough to keep thousands in a source offset. */
    static String of(Event event) {
        StringBuilder text = new StringBuilder()
                .append(gid(event.resource())).append('|').append(event.action()).append('|')
                .append(gid(event.parent())).append('|').append(gid(event.user())).append('|')
                .append(event.createdAt());
        if (event.change() != null) {
            text.append('|').append(event.change().field()).append('|').append(event.change().action())
                    .append('|').append(gid(event.change().newValue())).append('|')
                    .append(gid(event.change().addedValue())).append('|').append(gid(event.change().removedValue()));
        }
        return digest("event:" + text);
    }

    /** A reconciled task state (after an expired sync token) is known by task and modification time. */
    static String ofReconciled(String taskGid, java.time.Instant modifiedAt) {
        return digest("reconciled:" + taskGid + "|" + modifiedAt);
    }

    private static String gid(Resource resource) {
        return resource == null ? "" : resource.gid();
    }

    private static String digest(String text) {
        return Fingerprint.of(text);
    }
}
