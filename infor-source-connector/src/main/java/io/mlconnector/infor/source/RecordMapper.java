package io.mlconnector.infor.source;

import io.mlconnector.infor.source.RecordMapping.Field;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Turns the rows of any backend into the shared records: one partition's {@link RecordMapping} applied to each row,
 * with what its page looked up. Nothing here knows M3 from SyteLine.
 */
final class RecordMapper {

    private final RecordContext ctx;
    private final RecordMapping mapping;

    RecordMapper(RecordContext ctx, RecordMapping mapping) {
        this.ctx = ctx;
        this.mapping = mapping;
    }

    /** The mapping of one page's rows, given what the page looked up. */
    Function<Row, Struct> forPage(Related related) {
        return row -> record(row, related);
    }

    Struct record(Row row, Related related) {
        Map<String, Object> values = values(mapping.fields(), row, ctx, related);
        Struct record = ctx.header(ctx.schemas().of(mapping.entity()), (String) values.remove("number"),
                (String) values.remove("division"));
        values.forEach(record::put);
        return record.put("source_zone", ctx.zone().getId());
    }

    /** A struct of {@code schema} with {@code fields} from {@code row}: a record's part, such as an order line. */
    static Struct struct(Schema schema, List<Field> fields, Row row, RecordContext ctx, Related related) {
        Struct struct = new Struct(schema);
        values(fields, row, ctx, related).forEach(struct::put);
        return struct;
    }

    /** Every field's value, converted in the order declared, so the first bad column is the one reported. */
    private static Map<String, Object> values(List<Field> fields, Row row, RecordContext ctx, Related related) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Field field : fields) {
            values.put(field.name(), field.value().conversion().convert(row, ctx, related));
        }
        return values;
    }
}
