package io.mlconnector.infor.source;

import io.mlconnector.infor.records.RecordSchemas;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Locale;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/** What every record of one partition shares: tenant, partition, schemas and the tenant zone. */
record RecordContext(String tenant, SourcePartition partition, RecordSchemas schemas, ZoneId zone) {

    /** A value struct with tenant, backend, company, division and number filled in. */
    Struct header(Schema schema, String number, String division) {
        return RecordSchemas.value(schema, tenant, partition.backend().name().toLowerCase(Locale.ROOT),
                partition.company(), division, number);
    }

    /** A Connect Date: midnight UTC of the calendar day. */
    static java.util.Date date(LocalDate day) {
        return RecordSchemas.date(day);
    }
}
