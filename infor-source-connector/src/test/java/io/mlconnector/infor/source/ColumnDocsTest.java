package io.mlconnector.infor.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/m3-columns.md names every column and property the source reads, and no other, in its table's rows: the page is
 * written by hand, with each column's reference, so this keeps it true to the declarations.
 */
class ColumnDocsTest {

    private static final Path PAGE = Path.of("../docs/m3-columns.md");
    private static final Pattern CODE = Pattern.compile("`([A-Za-z0-9]+)`");

    @Test
    void everyM3ColumnReadIsDocumentedUnderItsTable() throws IOException {
        Map<String, Set<String>> read = new TreeMap<>();
        for (TableRead table : M3Entities.ALL) {
            Set<String> columns = read.computeIfAbsent(table.table(), t -> new TreeSet<>());
            table.columns().forEach(c -> columns.addAll(c.candidates()));
        }
        assertEquals(read, documented("## M3 columns"));
    }

    @Test
    void everySyteLinePropertyReadIsDocumentedUnderItsIdo() throws IOException {
        Map<String, Set<String>> read = new TreeMap<>();
        for (SyteLineReader.Source source : List.of(SyteLineEntities.PURCHASE_ORDERS, SyteLineEntities.SUPPLIER_INVOICES,
                SyteLineEntities.SUPPLIERS, SyteLineEntities.PAYMENTS)) {
            read.computeIfAbsent(source.ido(), t -> new TreeSet<>()).addAll(source.properties());
        }
        SyteLineEntities.LOOKUP_PROPERTIES.forEach((table, properties) ->
                read.computeIfAbsent(table.table(), t -> new TreeSet<>()).addAll(properties));
        assertEquals(read, documented("## SyteLine properties"));
    }

    /**
     * The table of the section whose heading starts with {@code heading}, as table name to the names in its second cell; a row with a blank first cell goes on the
     * table above it.
     */
    private static Map<String, Set<String>> documented(String heading) throws IOException {
        Map<String, Set<String>> documented = new TreeMap<>();
        boolean inSection = false;
        String table = null;
        for (String line : Files.readAllLines(PAGE)) {
            if (line.startsWith("## ")) {
                inSection = line.startsWith(heading);
                continue;
            }
            if (!inSection || !line.startsWith("| ")) {
                continue;
            }
            String[] cells = line.split("\\|", -1);
            List<String> first = codes(cells[1]);
            if (!first.isEmpty()) {
                table = first.get(0);
            }
            if (table != null) {
                documented.computeIfAbsent(table, t -> new TreeSet<>()).addAll(codes(cells[2]));
            }
        }
        return documented;
    }

    private static List<String> codes(String cell) {
        List<String> codes = new ArrayList<>();
        Matcher m = CODE.matcher(cell);
        while (m.find()) {
            codes.add(m.group(1));
        }
        return codes;
    }
}
