package io.mlconnector.simulators.ion;

import io.mlconnector.simulators.common.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar simulators.jar ion [--port 0] [--purchase-orders N] [--invoices N] [--syteline-records N]
 * [--token-lifetime SECONDS] [--no-refresh-tokens] [--seed N] [--tenant T] [--zone Europe/Stockholm]
 * [--write-ionapi FILE]}: starts the ION simulator, optionally writes its .ionapi file, prints one JSON line
 * ({@code baseUrl}, {@code tenant}, {@code ionapi}, {@code mongooseConfigs}) and runs until stopped.
 */
public final class IonSimulatorMain {

    private IonSimulatorMain() {
    }

    public static void main(String[] args) throws Exception {
        IonSimulatorConfig config = IonSimulatorConfig.defaults();
        int purchaseOrders = config.purchaseOrders();
        int invoices = config.invoices();
        int syteLine = config.syteLineRecords();
        Path ionapi = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h" -> {
                    System.out.println("usage: ion [--port 0] [--purchase-orders N] [--invoices N] [--syteline-records N] "
                            + "[--token-lifetime SECONDS] [--no-refresh-tokens] [--seed N] [--tenant T] [--zone ZONE] [--write-ionapi FILE]");
                    return;
                }
                case "--port" -> config = config.withPort(Integer.parseInt(value(args, ++i, a)));
                case "--purchase-orders" -> purchaseOrders = Integer.parseInt(value(args, ++i, a));
                case "--invoices" -> invoices = Integer.parseInt(value(args, ++i, a));
                case "--syteline-records" -> syteLine = Integer.parseInt(value(args, ++i, a));
                case "--token-lifetime" -> config = config.withTokenLifetimeSeconds(Long.parseLong(value(args, ++i, a)));
                case "--no-refresh-tokens" -> config = config.withIssueRefreshTokens(false);
                case "--seed" -> config = config.withSeed(Long.parseLong(value(args, ++i, a)));
                case "--tenant" -> config = config.withTenant(value(args, ++i, a));
                case "--zone" -> config = config.withZone(ZoneId.of(value(args, ++i, a)));
                case "--write-ionapi" -> ionapi = Path.of(value(args, ++i, a));
                default -> {
                    System.err.println("unknown option " + a + " (try --help)");
                    System.exit(2);
                }
            }
        }
        IonSimulator sim = IonSimulator.start(config.withVolumes(purchaseOrders, invoices, syteLine));
        if (ionapi != null) {
            Files.writeString(ionapi, sim.ionApiJson(), StandardCharsets.UTF_8);
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("baseUrl", sim.baseUrl());
        line.put("tenant", sim.tenant());
        line.put("ionapi", ionapi == null ? null : ionapi.toAbsolutePath().toString());
        line.put("mongooseConfigs", sim.mongooseConfigs());
        System.out.println(Json.writeString(line));
        System.out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            stopped.countDown();
        }));
        stopped.await();
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            System.err.println(option + " needs a value");
            System.exit(2);
        }
        return args[i];
    }
}
