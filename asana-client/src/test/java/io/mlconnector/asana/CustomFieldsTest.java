package io.mlconnector.asana;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CustomFieldsTest {
    private static SimFixture fx;
    private static AsanaClient client;

    @BeforeAll
    static void start() throws Exception {
        fx = new SimFixture();
        client = fx.client();
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void resolvesNamesToGidsOncePerWorkspaceAndKnowsEachType() {
        long before = fx.calls("getCustomFieldsForWorkspace");
        CustomFieldCatalog catalog = client.customFields(fx.workspace);
        client.customFields(fx.workspace);
        assertEquals(before + 1, fx.calls("getCustomFieldsForWorkspace"));

        CustomField amount = catalog.require("Amount");
        assertEquals(fx.fields.get("Amount"), amount.gid());
        assertEquals(CustomFieldType.NUMBER, amount.type());
        assertEquals(2, amount.precision());
        assertEquals(CustomFieldType.TEXT, catalog.require("PO number").type());
        CustomField supplier = catalog.require("Supplier");
        assertEquals(CustomFieldType.ENUM, supplier.type());
        assertEquals(List.of("ACME Industrial Supply", "Nordic Fasteners AB"),
                supplier.enumOptions().stream().map(EnumOption::name).toList());
        assertThrows(IllegalArgumentException.class, () -> catalog.require("No such field"));
    }

    @Test
    void listsTheProjectsCustomFieldSettings() {
        List<CustomFieldSetting> settings = client.listProjectCustomFieldSettings(fx.project);
        assertEquals(fx.fields.values().stream().sorted().toList(),
                settings.stream().map(s -> s.customField().gid()).sorted().toList());
        assertTrue(settings.stream().allMatch(s -> s.customField().type() != CustomFieldType.UNKNOWN));
    }

    @Test
    void createsEnumOptionsUpToTheCapOfFiveHundred() {
        CustomField gl = client.getCustomField(fx.fields.get("GL account"));
        EnumOption created = client.createEnumOption(gl, "7000 Freight", "blue");
        assertEquals("7000 Freight", created.name());
        assertTrue(client.listEnumOptions(gl.gid()).contains(created));

        List<String> names = new ArrayList<>();
        IntStream.range(0, 500).forEach(i -> names.add("Supplier " + i));
        String full = fx.sim.addCustomField(fx.workspace, "Vendor", "enum", null, null, null, names, List.of(fx.project));
        CustomField vendor = client.getCustomField(full);
        long before = fx.calls("createEnumOptionForCustomField");
        assertThrows(IllegalStateException.class, () -> client.createEnumOption(vendor, "Supplier 500", null));
        assertEquals(before, fx.calls("createEnumOptionForCustomField"));

        // A stale view of the field does not get past Asana's own check.
        CustomField stale = new CustomField(vendor.gid(), vendor.name(), vendor.type(), null, null, null, List.of());
        BadRequestException refused = assertThrows(BadRequestException.class,
                () -> client.createEnumOption(stale, "Supplier 500", null));
        assertTrue(refused.messages().get(0).contains("at most 500"), refused.getMessage());
    }
}
