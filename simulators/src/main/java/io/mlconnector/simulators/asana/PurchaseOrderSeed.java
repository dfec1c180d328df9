package io.mlconnector.simulators.asana;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The purchase-order set-up the demo and tests start from: a workspace, a user with a token, the purchasing project
 * with the PO fields and the accounts payable project ("apProject") with the invoice fields.
 */
final class PurchaseOrderSeed {
    private PurchaseOrderSeed() {
    }

    /** Seeds it into {@code sim} through its public seeding methods; returns the gids. */
    static Map<String, Object> seed(AsanaSimulator sim, String token) {
        Map<String, Object> gids = new LinkedHashMap<>();
        String workspace = sim.addWorkspace("Sim Distribution Inc.", true);
        String user = sim.addUser("Sim Integration User", "integration@example.com");
        sim.addToken(token, user, false);
        String project = sim.addProject(workspace, "Purchase orders and invoices");
        gids.put("workspace", workspace);
        gids.put("project", project);
        gids.put("user", user);
        Map<String, String> fields = new LinkedHashMap<>();
        List<String> projects = List.of(project);
        fields.put("PO number", sim.addCustomField(workspace, "PO number", "text", null, null, null, null, projects));
        fields.put("Invoice number", sim.addCustomField(workspace, "Invoice number", "text", null, null, null, null,
                projects));
        fields.put("Supplier", sim.addCustomField(workspace, "Supplier", "enum", null, null, null,
                List.of("ACME Industrial Supply", "Nordic Fasteners AB"), projects));
        fields.put("Amount", sim.addCustomField(workspace, "Amount", "number", 2, "none", null, null, projects));
        fields.put("Currency", sim.addCustomField(workspace, "Currency", "enum", null, null, null,
                List.of("EUR", "USD", "GBP", "SEK"), projects));
        fields.put("GL account", sim.addCustomField(workspace, "GL account", "enum", null, null, null,
                List.of("4000 Purchases", "6100 Services"), projects));
        String accountsPayable = sim.addProject(workspace, "Accounts payable");
        gids.put("apProject", accountsPayable);
        List<String> ap = List.of(accountsPayable);
        Map<String, String> apFields = new LinkedHashMap<>();
        apFields.put("Invoice key", sim.addCustomField(workspace, "Invoice key", "text", null, null, null, null, ap));
        apFields.put("Invoice date", sim.addCustomField(workspace, "Invoice date", "date", null, null, null, null, ap));
        apFields.put("Payment", sim.addCustomField(workspace, "Payment", "enum", null, null, null,
                List.of("UNPAID", "PART_PAID", "PAID"), ap));
        for (String shared : List.of("Invoice number", "PO number", "Supplier", "Amount", "Currency")) {
            sim.attachCustomField(accountsPayable, fields.get(shared));
        }
        gids.put("customFields", fields);
        gids.put("apCustomFields", apFields);
        return gids;
    }
}
