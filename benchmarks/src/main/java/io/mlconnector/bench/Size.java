package io.mlconnector.bench;

import java.time.Duration;

/**
 * How big each benchmark runs. {@link #FULL} is the load; {@link #SMOKE} keeps the command working in CI
 * within a minute or two, and its speed figures mean little.
 *
 * @param purchaseOrders    backlog of the Infor source
 * @param sinkOrders        new orders of the sink's calls-per-record run (30 % then change, 20 % come again unchanged)
 * @param budget            Asana requests per {@code budgetWindow} for the budget run: Asana's per-minute budget on a
 *                          shorter window, so a run of a few windows is short
 * @param budgetWindows     how many windows the budget run measures
 * @param webhookEvents     events POSTed at the webhook endpoint
 * @param pollInterval      the purchase-order poll interval of the end-to-end run
 * @param endToEndSamples   purchase orders created one at a time in the end-to-end run
 * @param ledgerTasks       tasks the sink has made, all in its task ledger, when the rebalance is measured
 * @param pushBacklog       purchase-order BODs pushed at once to the ION BOD source
 */
enum Size {
    SMOKE(2_000, 300, 150, Duration.ofSeconds(5), 2, 2_000, Duration.ofSeconds(2), 3, 2_000, 500),
    FULL(100_000, 5_000, 1_500, Duration.ofSeconds(15), 3, 20_000, Duration.ofSeconds(5), 30, 100_000, 5_000);

    final int purchaseOrders;
    final int sinkOrders;
    final int budget;
    final Duration budgetWindow;
    final int budgetWindows;
    final int webhookEvents;
    final Duration pollInterval;
    final int endToEndSamples;
    final int ledgerTasks;
    final int pushBacklog;

    /** Whether this size's run holds the figure to its bar: speed and memory only at full size. */
    boolean judges(Figure figure) {
        return figure.passed() != null && (this == FULL || figure.correctness());
    }

    Size(int purchaseOrders, int sinkOrders, int budget, Duration budgetWindow, int budgetWindows, int webhookEvents,
         Duration pollInterval, int endToEndSamples, int ledgerTasks, int pushBacklog) {
        this.purchaseOrders = purchaseOrders;
        this.sinkOrders = sinkOrders;
        this.budget = budget;
        this.budgetWindow = budgetWindow;
        this.budgetWindows = budgetWindows;
        this.webhookEvents = webhookEvents;
        this.pollInterval = pollInterval;
        this.endToEndSamples = endToEndSamples;
        this.ledgerTasks = ledgerTasks;
        this.pushBacklog = pushBacklog;
    }
}
