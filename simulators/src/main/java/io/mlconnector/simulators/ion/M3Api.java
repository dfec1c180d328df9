package io.mlconnector.simulators.ion;

import io.mlconnector.simulators.common.SimRequest;
import io.mlconnector.simulators.common.SimResponse;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * M3 MI REST ({@code /M3/m3api-rest/v2/execute/PROG/TRANS} and the v1 {@code /M3/m3api-rest/execute/...}): reads
 * the call's inputs and matrix parameters, opens the session (company, division), runs the transaction from the
 * table {@code PROGRAM/Transaction} → {@link MiTransaction} and answers in the version's format ({@link MiAnswers}).
 *
 * <p>Transactions, one class per group of programs: {@link PurchaseOrderMi} (PPS200MI, PPS001MI), {@link
 * InvoiceBatchMi} (APS450MI), {@link ApLedgerMi} (APS110MI, APS200MI), {@link MasterDataMi} (CRS620MI, CRS630MI),
 * {@link ExportMi} (EXPORTMI), {@link CusExtMi} (CUSEXTMI).
 *
 * <p>Simulator choice where infor.md is silent: list transactions return 100 rows when no maxrecs is given.
 */
final class M3Api {

    private static final int DEFAULT_MAXRECS = 100;

    private final M3Data data;
    /** {@code PROGRAM/Transaction} → what it does. */
    private final Map<String, MiTransaction> transactions;

    M3Api(M3Data data) {
        this.data = data;
        Map<String, MiTransaction> table = new HashMap<>();
        table.putAll(new PurchaseOrderMi(data).transactions());
        table.putAll(new InvoiceBatchMi(data).transactions());
        table.putAll(new ApLedgerMi(data).transactions());
        table.putAll(new MasterDataMi(data).transactions());
        table.putAll(ExportMi.transactions(data));
        table.putAll(new CusExtMi(data).transactions());
        this.transactions = Map.copyOf(table);
    }

    SimResponse execute(SimRequest req, String user, boolean v2) {
        String program = req.group(3).toUpperCase(Locale.ROOT);
        String transaction = req.group(4);
        Map<String, String> matrix = matrix(req.group(5));
        Map<String, String> query = req.query();
        Map<String, String> inputs = new LinkedHashMap<>();
        query.forEach((k, v) -> {
            if (k.length() == 4 && k.equals(k.toUpperCase(Locale.ROOT))) {
                inputs.put(k, v);
            }
        });
        String maxrecsText = first(matrix.get("maxrecs"), query.get("maxrecs"));
        int maxrecs = maxrecsText == null ? DEFAULT_MAXRECS : Integer.parseInt(maxrecsText.trim());
        String returncols = first(matrix.get("returncols"), query.get("returncols"));
        boolean excludeEmpty = "true".equalsIgnoreCase(first(matrix.get("excludempty"), query.get("excludeempty")));
        boolean rightTrim = "true".equalsIgnoreCase(query.get("righttrim"));
        boolean metadata = "true".equalsIgnoreCase(matrix.get("metadata"));
        try {
            String cono = first(blankToNull(inputs.get("CONO")), matrix.get("cono"), "100").trim();
            if (!M3Data.COMPANIES.containsKey(cono)) {
                throw new MiException("ServerReturnedNOK", "XAU0008", "CONO",
                        "You are not authorized to company " + cono, true);
            }
            String divi = first(blankToNull(inputs.get("DIVI")), matrix.get("divi"), M3Data.COMPANIES.get(cono).get(0)).trim();
            List<Map<String, String>> records;
            synchronized (data) {
                records = transaction(program, transaction).run(new MiCall(cono, divi, user, inputs, maxrecs));
            }
            List<Map<String, String>> shaped = MiAnswers.shape(records, returncols, excludeEmpty, rightTrim);
            return v2 ? SimResponse.json(200, MiAnswers.v2Ok(transaction, shaped))
                    : SimResponse.json(200, MiAnswers.v1Ok(program, transaction, shaped, metadata));
        } catch (MiException e) {
            return v2 ? MiAnswers.v2Error(transaction, e) : MiAnswers.v1Error(e);
        }
    }

    private MiTransaction transaction(String program, String transaction) {
        MiTransaction found = transactions.get(program + "/" + transaction);
        if (found == null) {
            throw new MiException("TransactionNotFound", "", "", "Transaction " + transaction
                    + " does not exist in program " + program, true);
        }
        return found;
    }

    private static Map<String, String> matrix(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        for (String part : raw.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                out.put(SimRequest.decode(part.substring(0, eq), false).toLowerCase(Locale.ROOT), SimRequest.decode(part.substring(eq + 1), false));
            }
        }
        return out;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
