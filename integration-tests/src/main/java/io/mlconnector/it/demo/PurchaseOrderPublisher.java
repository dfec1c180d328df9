package io.mlconnector.it.demo;

import io.mlconnector.asana.CustomFieldValue;
import io.mlconnector.asana.Task;
import io.mlconnector.it.Await;
import io.mlconnector.simulators.ion.ims.DeliveryReport;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The demo's {@code --push}: the simulated M3 changes one PO after another (its total up by 1.00) and publishes each
 * change as a Sync.PurchaseOrder BOD over IMS, as M3's BOD processor would; the line printed says how soon the
 * task followed. Runs on the demo's scheduler thread.
 */
final class PurchaseOrderPublisher {

    private static final Duration FOLLOW_TIMEOUT = Duration.ofSeconds(20);
    /** How often the task is looked at: the printed delay is true to within this. */
    private static final Duration FOLLOW_CHECKS = Duration.ofMillis(50);

    private final SimulatedSystems systems;
    private int next;

    PurchaseOrderPublisher(SimulatedSystems systems) {
        this.systems = systems;
    }

    void changeAndPublishNext() {
        try {
            List<String[]> orders = systems.purchaseOrders(10_000);
            if (orders.isEmpty()) {
                return;
            }
            String[] order = orders.get(next++ % orders.size());
            String puno = order[1];
            BigDecimal amount = new BigDecimal(order[2].isBlank() ? "0" : order[2].trim()).add(BigDecimal.ONE);
            Optional<Task> task = task(puno);
            if (task.isEmpty()) {
                return; // not in Asana yet: the next round takes another
            }
            systems.changePurchaseOrderAmount(order[0], puno, amount);
            Instant sent = Instant.now();
            DeliveryReport report = systems.publishPurchaseOrder(puno);
            if (report.acknowledged() != 1) {
                ProgressBoard.say("M3 pushed the BOD of PO " + puno + ", but the ION BOD source did not acknowledge it: "
                        + report);
                return;
            }
            Instant followed;
            try {
                followed = Await.timed("the task of PO " + puno + " to follow", FOLLOW_TIMEOUT, FOLLOW_CHECKS,
                        () -> amount.compareTo(amount(systems.reviewer().getTask(task.get().gid()))) == 0);
            } catch (Await.TimedOut notFollowed) {
                ProgressBoard.say("M3 pushed the BOD of PO " + puno + "; its task has not followed within " + FOLLOW_TIMEOUT);
                return;
            }
            ProgressBoard.say(String.format("M3 changed PO %s to %s and pushed its BOD over IMS; its task followed in %d ms",
                    puno, amount.toPlainString(), Duration.between(sent, followed).toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            ProgressBoard.say("pushing a PO's BOD failed: " + e.getMessage());
        }
    }

    private Optional<Task> task(String puno) {
        return systems.reviewer().projectTasks(systems.project())
                .filter(t -> t.customFields().stream().anyMatch(f -> "PO number".equals(f.name())
                        && f.textValue() != null && f.textValue().endsWith("-" + puno)))
                .findFirst();
    }

    private static BigDecimal amount(Task task) {
        return task.customFields().stream().filter(f -> "Amount".equals(f.name())).map(CustomFieldValue::numberValue)
                .filter(java.util.Objects::nonNull).findFirst().orElse(BigDecimal.ZERO);
    }
}
