package io.mlconnector.simulators.ion;

import java.time.ZoneId;

/**
 * Settings of one ION simulator. {@link #defaults()} gives a small data set with 2-hour tokens;
 * adjust with the {@code with*} methods.
 *
 * @param loginsPerMinute service-account password grants admitted per sliding minute (the tenant limit is 20)
 * @param maxLinesPerOrder each seeded PO gets 1..maxLinesPerOrder lines
 */
public record IonSimulatorConfig(int port, String tenant, String clientId, String clientSecret,
                                 String serviceAccountAccessKey, String serviceAccountSecretKey,
                                 long tokenLifetimeSeconds, boolean issueRefreshTokens, int loginsPerMinute,
                                 long seed, ZoneId zone, int suppliersPerCompany, int purchaseOrders, int invoices,
                                 int maxLinesPerOrder, int syteLineRecords) {

    public static IonSimulatorConfig defaults() {
        return new IonSimulatorConfig(0, "ACME_TST", "ACME_TST~simclient01", "sim-client-secret-0001",
                "ACME_TST#SimServiceAcct", "sim-service-account-secret-0001", 7200, true, 20, 42L,
                ZoneId.of("Europe/Stockholm"), 50, 300, 300, 3, 300);
    }

    public IonSimulatorConfig withPort(int value) {
        return new IonSimulatorConfig(value, tenant, clientId, clientSecret, serviceAccountAccessKey, serviceAccountSecretKey, tokenLifetimeSeconds, issueRefreshTokens, loginsPerMinute, seed, zone, suppliersPerCompany, purchaseOrders, invoices, maxLinesPerOrder, syteLineRecords);
    }

    public IonSimulatorConfig withTokenLifetimeSeconds(long value) {
        return new IonSimulatorConfig(port, tenant, clientId, clientSecret, serviceAccountAccessKey, serviceAccountSecretKey, value, issueRefreshTokens, loginsPerMinute, seed, zone, suppliersPerCompany, purchaseOrders, invoices, maxLinesPerOrder, syteLineRecords);
    }

    public IonSimulatorConfig withIssueRefreshTokens(boolean value) {
        return new IonSimulatorConfig(port, tenant, clientId, clientSecret, serviceAccountAccessKey, serviceAccountSecretKey, tokenLifetimeSeconds, value, loginsPerMinute, seed, zone, suppliersPerCompany, purchaseOrders, invoices, maxLinesPerOrder, syteLineRecords);
    }

    public IonSimulatorConfig withLoginsPerMinute(int value) {
        return new IonSimulatorConfig(port, tenant, clientId, clientSecret, serviceAccountAccessKey, serviceAccountSecretKey, tokenLifetimeSeconds, issueRefreshTokens, value, seed, zone, suppliersPerCompany, purchaseOrders, invoices, maxLinesPerOrder, syteLineRecords);
    }

    /** A tenant name; the client id and service-account access key follow it, as in real files. */
    public IonSimulatorConfig withTenant(String value) {
        return new IonSimulatorConfig(port, value, value + "~simclient01", clientSecret, value + "#SimServiceAcct", serviceAccountSecretKey, tokenLifetimeSeconds, issueRefreshTokens, loginsPerMinute, seed, zone, suppliersPerCompany, purchaseOrders, invoices, maxLinesPerOrder, syteLineRecords);
    }

    /** The tenant's zone: M3 dates and SyteLine date-times are local to it. */
    public IonSimulatorConfig withZone(ZoneId value) {
        return new IonSimulatorConfig(port, tenant, clientId, clientSecret, serviceAccountAccessKey, serviceAccountSecretKey, tokenLifetimeSeconds, issueRefreshTokens, loginsPerMinute, seed, value, suppliersPerCompany, purchaseOrders, invoices, maxLinesPerOrder, syteLineRecords);
    }

    public IonSimulatorConfig withSeed(long value) {
        return new IonSimulatorConfig(port, tenant, clientId, clientSecret, serviceAccountAccessKey, serviceAccountSecretKey, tokenLifetimeSeconds, issueRefreshTokens, loginsPerMinute, value, zone, suppliersPerCompany, purchaseOrders, invoices, maxLinesPerOrder, syteLineRecords);
    }

    /** Sets the seeded volumes: purchase orders, supplier invoices and rows per SyteLine IDO per site. */
    public IonSimulatorConfig withVolumes(int purchaseOrderCount, int invoiceCount, int syteLineRecordCount) {
        return new IonSimulatorConfig(port, tenant, clientId, clientSecret, serviceAccountAccessKey, serviceAccountSecretKey, tokenLifetimeSeconds, issueRefreshTokens, loginsPerMinute, seed, zone, suppliersPerCompany, purchaseOrderCount, invoiceCount, maxLinesPerOrder, syteLineRecordCount);
    }

    public IonSimulatorConfig withMaxLinesPerOrder(int value) {
        return new IonSimulatorConfig(port, tenant, clientId, clientSecret, serviceAccountAccessKey, serviceAccountSecretKey, tokenLifetimeSeconds, issueRefreshTokens, loginsPerMinute, seed, zone, suppliersPerCompany, purchaseOrders, invoices, value, syteLineRecords);
    }
}
