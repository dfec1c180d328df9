package io.mlconnector.infor.source;

import io.mlconnector.connect.ConnectionSettings;
import io.mlconnector.connect.ConnectionSettings.InforBackend;
import io.mlconnector.connect.SettingException;
import io.mlconnector.connect.SettingValidators;
import io.mlconnector.infor.IonApiCredentials;
import io.mlconnector.infor.records.Entity;
import io.mlconnector.infor.records.RecordSchemas;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/** Settings of the Infor CloudSuite source connector. */
public final class InforSourceConfig extends AbstractConfig {

    public static final String ENTITIES = "infor.entities";
    public static final String TIMEZONE = "infor.timezone";
    public static final String M3_DIVISIONS = "m3.divisions";
    public static final String SYTELINE_SITES = "syteline.sites";
    public static final String M3_PAID_STATUSES = "m3.payments.paid.statuses";
    public static final String TOPIC_TEMPLATE = "topic.template";
    public static final String START_DATE = "start.date";
    public static final String PAGE_SIZE = "page.size";
    public static final String MAX_RECORDS_PER_POLL = "max.records.per.poll";
    public static final String AMOUNT_SCALE = "amount.scale";
    public static final String ERRORS_TOPIC = "data.errors.topic";

    private static final String GROUP_TOPICS = "Topics";
    private static final String GROUP_SCHEDULE = "Schedule";
    private static final String GROUP_DATA = "Data";

    public InforSourceConfig(Map<String, String> props) {
        super(configDef(), props);
        if (backend() == InforBackend.M3 && m3Divisions().isEmpty()) {
            throw new SettingException(M3_DIVISIONS, "name at least one company/division, e.g. 100/AAA");
        }
        if (backend() == InforBackend.SYTELINE && sites().isEmpty()) {
            throw new SettingException(SYTELINE_SITES, "name at least one Mongoose configuration (site), e.g. ACME_TST_DALS");
        }
        if (backend() == InforBackend.SYTELINE && entities().contains(Entity.GL_ACCOUNTS)) {
            throw new SettingException(ENTITIES, "gl-accounts is read from M3 only: the SyteLine chart-of-accounts IDO is not verified yet");
        }
    }

    /** The .ionapi document; its errors never echo the content, which holds the client secret. */
    public IonApiCredentials credentials() {
        return IonApiCredentials.parse(getPassword(ConnectionSettings.ION_CREDENTIALS).value());
    }

    public java.util.Set<String> paidStatuses() {
        return java.util.Set.copyOf(getList(M3_PAID_STATUSES));
    }

    public static ConfigDef configDef() {
        int infor = 2;
        ConfigDef def = ConnectionSettings.defineInfor(new ConfigDef(), content -> IonApiCredentials.parse(content).urls())
                .define(ENTITIES, Type.LIST, "purchase-orders,supplier-invoices",
                        ConfigDef.ValidList.in("purchase-orders", "supplier-invoices", "suppliers", "gl-accounts",
                                "payments"),
                        Importance.HIGH, "The business objects to read, one topic each. gl-accounts is M3 only. "
                                + "payments: the payment state of posted supplier invoices (M3 AP ledger FPLEDG, "
                                + "SyteLine posted A/P payments).",
                        ConnectionSettings.GROUP_INFOR, ++infor, Width.LONG, "Entities")
                .define(M3_DIVISIONS, Type.LIST, "", Importance.HIGH,
                        "M3 only: the company/division pairs to read, e.g. 100/AAA,100/BBB,200/CCC. Purchase orders, "
                                + "supplier invoices and payments are read per division, suppliers per company, GL accounts "
                                + "per company: those of these divisions and the company-level ones (blank division). The "
                                + "service account's default division must be blank (docs/m3-columns.md).",
                        ConnectionSettings.GROUP_INFOR, ++infor, Width.LONG, "M3 companies/divisions")
                .define(SYTELINE_SITES, Type.LIST, "", Importance.HIGH,
                        "SyteLine only: the Mongoose configurations (one per site) to read, e.g. ACME_TST_DALS,ACME_TST_OHIO.",
                        ConnectionSettings.GROUP_INFOR, ++infor, Width.LONG, "SyteLine sites")
                .define(M3_PAID_STATUSES, Type.LIST, "2", Importance.MEDIUM,
                        "M3 only: the values of the AP ledger's payment status (FPLEDG PYST, 'Status - payment') "
                                + "that mean an invoice is paid. The reference documents the field, not its values: "
                                + "check them in APS200MI/GetInvTotInfo on your tenant.",
                        ConnectionSettings.GROUP_INFOR, ++infor, Width.SHORT, "M3 paid statuses")
                .define(TIMEZONE, Type.STRING, "UTC", SettingValidators.zoneId(), Importance.MEDIUM,
                        "The tenant's time zone: M3 dates and SyteLine date-times carry none. Records hold UTC "
                                + "timestamps and name this zone in source_zone.",
                        ConnectionSettings.GROUP_INFOR, ++infor, Width.SHORT, "Tenant time zone")
                .define(TOPIC_TEMPLATE, Type.STRING, "infor.${tenant}.${entity}", new ConfigDef.NonEmptyString(),
                        Importance.MEDIUM, "Topic name per entity; ${tenant} and ${entity} are replaced.",
                        GROUP_TOPICS, 1, Width.MEDIUM, "Topic template")
                .define(ERRORS_TOPIC, Type.STRING, "", Importance.MEDIUM,
                        "Where rows the API sent malformed (a missing key field, an unparseable number or date) go, "
                                + "with the error and the raw fields. Empty: such a row fails the task with a message "
                                + "naming the row and the field.",
                        GROUP_TOPICS, 2, Width.MEDIUM, "Data errors topic");
        int schedule = 0;
        for (Entity e : Entity.values()) {
            def.define(e.pollIntervalSetting(), Type.LONG, e.defaultInterval().toMillis(), ConfigDef.Range.atLeast(1_000),
                    Importance.MEDIUM, "How often " + e.id() + " are read once caught up, in milliseconds. A backlog is "
                            + "read page after page without waiting.",
                    GROUP_SCHEDULE, ++schedule, Width.SHORT, e.id() + " poll interval");
        }
        return def
                .define(START_DATE, Type.STRING, "", startDateValidator(), Importance.MEDIUM,
                        "First run only (no stored offset): read records changed on or after this date (yyyy-MM-dd in "
                                + "the tenant zone). Empty: read everything. To backfill later, stop the connector and "
                                + "PATCH its offsets to {\"since\": \"yyyy-MM-dd\"}.",
                        GROUP_SCHEDULE, ++schedule, Width.SHORT, "Start date")
                .define(PAGE_SIZE, Type.INT, 500, ConfigDef.Range.between(1, 10_000), Importance.LOW,
                        "Rows per API call: M3 maxrecs, SyteLine recordcap.",
                        GROUP_SCHEDULE, ++schedule, Width.SHORT, "Page size")
                .define(MAX_RECORDS_PER_POLL, Type.INT, 2_000, ConfigDef.Range.atLeast(1), Importance.LOW,
                        "At most this many records per poll of a task, so a backlog streams through bounded memory.",
                        GROUP_SCHEDULE, ++schedule, Width.SHORT, "Max records per poll")
                .define(AMOUNT_SCALE, Type.INT, 2, ConfigDef.Range.between(0, 18), Importance.LOW,
                        "Decimal places of every amount field (Connect Decimal). An amount with more significant "
                                + "decimals is a data error, never rounded.",
                        GROUP_DATA, 1, Width.SHORT, "Amount scale");
    }

    private static ConfigDef.Validator startDateValidator() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                String s = (String) value;
                if (s != null && !s.isBlank()) {
                    try {
                        LocalDate.parse(s.trim());
                    } catch (DateTimeParseException e) {
                        throw new ConfigException(name, value, "not a yyyy-MM-dd date");
                    }
                }
            }

            @Override
            public String toString() {
                return "empty or yyyy-MM-dd";
            }
        };
    }

    public InforBackend backend() {
        return InforBackend.parse(getString(ConnectionSettings.INFOR_BACKEND));
    }

    public List<Entity> entities() {
        return getList(ENTITIES).stream().map(Entity::of).distinct().toList();
    }

    /** {@code [company, division]} pairs. */
    public List<String[]> m3Divisions() {
        List<String[]> out = new ArrayList<>();
        for (String pair : getList(M3_DIVISIONS)) {
            String[] parts = pair.trim().split("/");
            if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                throw new SettingException(M3_DIVISIONS, "write company/division, e.g. 100/AAA, not " + pair);
            }
            out.add(new String[]{parts[0].trim(), parts[1].trim()});
        }
        return out;
    }

    public List<String> sites() {
        return getList(SYTELINE_SITES).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public ZoneId zone() {
        return ZoneId.of(getString(TIMEZONE));
    }

    public Duration requestTimeout() {
        return Duration.ofMillis(getInt(ConnectionSettings.ION_REQUEST_TIMEOUT));
    }

    public Duration pollInterval(Entity entity) {
        return Duration.ofMillis(getLong(entity.pollIntervalSetting()));
    }

    /** Null when unset. */
    public LocalDate startDate() {
        String s = getString(START_DATE);
        return s == null || s.isBlank() ? null : LocalDate.parse(s.trim());
    }

    public String topic(String tenant, Entity entity) {
        return RecordSchemas.topic(getString(TOPIC_TEMPLATE), tenant, entity);
    }

    public String errorsTopic() {
        String t = getString(ERRORS_TOPIC);
        return t == null || t.isBlank() ? null : t.trim();
    }

    public int pageSize() {
        return getInt(PAGE_SIZE);
    }

    public int maxRecordsPerPoll() {
        return getInt(MAX_RECORDS_PER_POLL);
    }

    public int amountScale() {
        return getInt(AMOUNT_SCALE);
    }
}
