package io.mlconnector.it.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlconnector.asana.Task;
import io.mlconnector.asana.Webhook;
import io.mlconnector.it.Await;
import io.mlconnector.it.KafkaConnectCluster;
import io.mlconnector.it.demo.Pipeline;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** Attacks on the webhook source's listener while Asana delivers to it: stalled clients and forged handshakes. */
final class ListenerAttacks {

    /**
     * @param records        approvals or handshakes put through
     * @param missing        approvals that did not reach M3
     * @param deliveriesLost Asana's deliveries not acknowledged 2xx at their attempt
     * @param taskFailures   connector or task states seen FAILED during the attack
     * @param p99Millis      the 99th percentile of the answer times of Asana's deliveries (0 when not measured)
     */
    record Outcome(long records, long missing, long deliveriesLost, long taskFailures, long p99Millis, String detail) {
    }

    private final KafkaConnectCluster cluster;
    private final PipelineRun run;
    private final URI endpoint;

    ListenerAttacks(KafkaConnectCluster cluster, PipelineRun run) {
        this.cluster = cluster;
        this.run = run;
        this.endpoint = URI.create(run.systems().webhookEndpoint());
    }

    /**
     * {@code slow} connections that send a request line and then a header byte every second, never finishing,
     * reopened when the listener drops them; meanwhile reviewers approve {@code approvals} tasks.
     */
    Outcome slowClients(int slow, List<Task> approvals) throws Exception {
        int deliveriesBefore = run.systems().asana().webhookDeliveryMillis().size();
        long acknowledgedBefore = run.systems().asana().webhookDeliveriesAcknowledged();
        int approvedBefore = approvalCount();
        AtomicLong opened = new AtomicLong();
        List<Socket> sockets = new ArrayList<>();
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        StatusWatch watch = new StatusWatch();
        try {
            for (int i = 0; i < slow; i++) {
                sockets.add(openSlow(opened));
            }
            trickle.scheduleWithFixedDelay(() -> {
                for (int i = 0; i < sockets.size(); i++) {
                    try {
                        sockets.get(i).getOutputStream().write('x');
                    } catch (IOException dropped) {
                        try {
                            sockets.set(i, openSlow(opened));
                        } catch (IOException refused) {
                            // the listener's connection cap; tried again at the next round
                        }
                    }
                }
            }, 1, 1, TimeUnit.SECONDS);
            // In ten rounds, each waiting for its approvals, so that Asana makes at least ten deliveries to time.
            int round = Math.max(1, approvals.size() / 10);
            for (int from = 0; from < approvals.size(); from += round) {
                List<Task> batch = approvals.subList(from, Math.min(approvals.size(), from + round));
                run.complete(batch);
                int expected = approvedBefore + from + batch.size();
                Await.until(expected - approvedBefore + " approvals under " + slow + " slow connections",
                        Duration.ofMinutes(2), () -> watch.check() && approvalCount() >= expected);
            }
        } finally {
            trickle.shutdownNow();
            for (Socket socket : sockets) {
                socket.close();
            }
        }
        List<Long> millis = run.systems().asana().webhookDeliveryMillis();
        List<Long> during = new ArrayList<>(millis.subList(deliveriesBefore, millis.size()));
        long acknowledged = run.systems().asana().webhookDeliveriesAcknowledged() - acknowledgedBefore;
        during.sort(null);
        long p99 = during.isEmpty() ? 0 : during.get((int) Math.ceil(during.size() * 0.99) - 1);
        long max = during.isEmpty() ? 0 : during.get(during.size() - 1);
        long missing = Math.max(0, approvedBefore + approvals.size() - approvalCount());
        return new Outcome(approvals.size(), missing, during.size() - acknowledged, watch.failures(), p99,
                ("%d slow connections (%d opened in all), %d approvals: %d deliveries, %d acknowledged, answered in "
                        + "p99 %d ms, max %d ms").formatted(slow, opened.get(), approvals.size(), during.size(),
                        acknowledged, p99, max));
    }

    /**
     * Asana drops the webhook; while the source registers it again, {@code forged} handshakes with made-up secrets
     * arrive from 4 senders. The webhook must register with Asana's secret, every forgery must be refused, and the
     * task must never fail; a completion made afterwards must still reach M3.
     */
    Outcome handshakeFlood(int forged, Task approval) throws Exception {
        Webhook old = webhooks().get(0);
        StatusWatch watch = new StatusWatch();
        AtomicLong sent = new AtomicLong();
        AtomicLong accepted = new AtomicLong();
        AtomicBoolean registered = new AtomicBoolean();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        SecureRandom random = new SecureRandom();
        ExecutorService senders = Executors.newFixedThreadPool(4);
        run.systems().asana().deleteWebhookAsAsana(old.gid());
        List<Future<?>> floods = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            floods.add(senders.submit(() -> {
                while (sent.get() < forged || !registered.get()) {
                    byte[] secret = new byte[32];
                    random.nextBytes(secret);
                    long n = sent.incrementAndGet();
                    // Half guess a registration token, half send none: neither may be taken.
                    URI target = n % 2 == 0 ? endpoint : URI.create(endpoint + "?registration=" + HexFormat.of()
                            .formatHex(secret, 0, 16));
                    try {
                        HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(target)
                                .timeout(Duration.ofSeconds(5)).header("X-Hook-Secret", HexFormat.of().formatHex(secret))
                                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
                        if (answer.statusCode() / 100 == 2) {
                            accepted.incrementAndGet();
                        }
                    } catch (IOException refusedOrTimedOut) {
                        // not taken either
                    }
                    if (n % 50 == 0 && !registered.get()) {
                        registered.set(webhooks().stream().anyMatch(w -> !w.gid().equals(old.gid())));
                    }
                }
                return null;
            }));
        }
        try {
            Await.until("a new webhook while " + forged + " forged handshakes arrive", Duration.ofMinutes(2),
                    () -> watch.check() && registered.get() && sent.get() >= forged);
            for (Future<?> flood : floods) {
                flood.get(1, TimeUnit.MINUTES);
            }
        } finally {
            senders.shutdownNow();
        }
        int approvedBefore = approvalCount();
        run.complete(List.of(approval));
        Await.until("the approval after the flood", Duration.ofMinutes(2),
                () -> watch.check() && approvalCount() > approvedBefore);
        long missing = approvalCount() > approvedBefore ? 0 : 1;
        return new Outcome(sent.get() + 1, missing + accepted.get(), 0, watch.failures(), 0,
                ("%d forged handshakes during a re-registration: %d accepted; webhook registered again, the next "
                        + "completion reached M3").formatted(sent.get(), accepted.get()));
    }

    private Socket openSlow(AtomicLong opened) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 2000);
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + endpoint.getPath() + " HTTP/1.1\r\nHost: " + endpoint.getHost() + "\r\nX-Slow: ")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        opened.incrementAndGet();
        return socket;
    }

    private List<Webhook> webhooks() {
        return run.systems().integration().listWebhooks(run.systems().workspace(), run.systems().project());
    }

    private int approvalCount() {
        try {
            return run.approvals().values().stream().mapToInt(Integer::intValue).sum();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads the webhook source's status on each check and counts every FAILED state it sees. */
    private final class StatusWatch {
        private final AtomicLong failures = new AtomicLong();

        /** Always true, so that it can ride along a wait's condition. */
        boolean check() {
            JsonNode status = cluster.rest().status(run.name(Pipeline.WEBHOOK_SOURCE));
            if ("FAILED".equals(status.path("connector").path("state").asText())) {
                failures.incrementAndGet();
            }
            status.path("tasks").forEach(task -> {
                if ("FAILED".equals(task.path("state").asText())) {
                    failures.incrementAndGet();
                }
            });
            return true;
        }

        long failures() {
            return failures.get();
        }
    }
}
