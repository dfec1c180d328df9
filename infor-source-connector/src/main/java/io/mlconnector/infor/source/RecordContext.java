package io.mlconnector.infor.source;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZoneId;
import java.util.Locale;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/** What every record of one partition shares: tenant, partition, schemas and the tenant zone. */
record RecordContext(String tenant, SourcePartition partition, RecordSchemas schemas, ZoneId zone) {

    /** A value struct with tenant, backend, company, division and number filled in. */
    Struct header(Schema schema, String number, String division) {
        return new Struct(schema)
                .put("tenant", tenant)
                .put("backend", partition.backend().name().toLowerCase(Locale.ROOT))
                .put("company", partition.company())
                .put("division", division)
                .put("number", number);
    }

    /** A Connect Date: midnight UTC of the calendar day. */
    static java.util.Date date(LocalDate day) {
        return day == null ? null : java.util.Date.from(day.atStartOfDay(ZoneOffset.UTC).toInstant());
    }
}
