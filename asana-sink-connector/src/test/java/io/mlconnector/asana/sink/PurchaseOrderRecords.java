package io.mlconnector.asana.sink;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.sink.SinkRecord;

/** Purchase orders as the Infor source keys and writes them (schemaless here), for the sink's tests. */
final class PurchaseOrderRecords {

    private PurchaseOrderRecords() {
    }

    static SinkRecord purchaseOrder(String number, String amount, String supplier) {
        Map<String, Object> key = Map.of("tenant", "ACME_TST", "company", "100", "entity", "purchase-orders",
                "number", number);
        Map<String, Object> value = new HashMap<>();
        value.put("number", number);
        value.put("amount", amount);
        value.put("currency", "EUR");
        value.put("supplier_name", supplier);
        return new SinkRecord("infor.ACME_TST.purchase-orders", 0, null, key, null, value, 1);
    }
}
