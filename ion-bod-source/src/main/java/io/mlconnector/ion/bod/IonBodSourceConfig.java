package io.mlconnector.ion.bod;

import io.mlconnector.connect.ConnectionSettings;
import io.mlconnector.connect.ConnectionSettings.InforBackend;
import io.mlconnector.connect.SettingException;
import io.mlconnector.connect.SettingValidators;
import io.mlconnector.connect.http.ListenerSettings;
import io.mlconnector.infor.records.Entity;
import io.mlconnector.infor.records.RecordSchemas;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/** Settings of the ION BOD source: the IMS connection point it serves and the records it writes. */
public final class IonBodSourceConfig extends AbstractConfig {

    public static final String TENANT = "ion.tenant";
    public static final String BACKEND = ConnectionSettings.INFOR_BACKEND;
    public static final String TIMEZONE = "infor.timezone";
    public static final String COMPANY = "company";

    public static final String AUTHENTICATION = "ims.authentication";
    public static final String ENDPOINT_URL = "ims.endpoint.url";
    public static final String CONSUMER_KEY = "ims.oauth.consumer.key";
    public static final String CONSUMER_SECRET = "ims.oauth.consumer.secret";
    public static final String TIMESTAMP_SKEW = "ims.oauth.timestamp.skew.ms";
    public static final String BASIC_USER = "ims.basic.user";
    public static final String BASIC_PASSWORD = "ims.basic.password";
    public static final String API_KEY_HEADER = "ims.api.key.header";
    public static final String API_KEY = "ims.api.key";
    public static final String BEARER_TOKEN = "ims.bearer.token";
    public static final String MESSAGE_METHOD = "ims.message.method";
    public static final String PARAMETER_HEADER_PREFIX = "ims.message.parameter.header.prefix";
    public static final String LOGICAL_IDS = "ims.allowed.logical.ids";
    public static final String DOCUMENTS = "ims.documents";
    public static final String MAX_INFLATED = "ims.max.inflated.bytes";
    public static final String CACHE_SIZE = "documents.cache.size";

    public static final String TOPIC_TEMPLATE = "topic.template";
    public static final String ERRORS_TOPIC = "data.errors.topic";
    public static final String AUDIT_TOPIC = "audit.topic";
    public static final String AMOUNT_SCALE = "amount.scale";

    private static final String GROUP_ION = "ION connection point";
    private static final String GROUP_ENDPOINT = "Endpoint";
    private static final String GROUP_RECORDS = "Records";

    /** The documents this source takes, by ION's documentName. */
    static final Map<String, Entity> DOCUMENT_ENTITIES = Map.of("Sync.PurchaseOrder", Entity.PURCHASE_ORDERS,
            "Sync.SupplierInvoice", Entity.SUPPLIER_INVOICES);

    /** How ION proves itself (ion-ims-bod.md 2): OAuth 1.0a direct, or the API Gateway's target-endpoint security. */
    public enum Authentication {
        OAUTH1, BASIC, API_KEY, BEARER
    }

    /** Which IMS v3 message method {@code protocol} tells ION to use; both are served (ion-ims-bod.md 1.4, 1.7). */
    public enum MessageMethod {
        MULTIPART_MESSAGE("multipartMessage"), MESSAGE("message");

        private final String protocolName;

        MessageMethod(String protocolName) {
            this.protocolName = protocolName;
        }

        /** As {@code protocol}'s {@code messageMethod} writes it. */
        public String protocolName() {
            return protocolName;
        }
    }

    /** ION's own timeout is not documented (ion-ims-bod.md 1.10): long enough for a transaction to commit. */
    static final long REQUEST_TIMEOUT_MS = 20_000L;

    private static final ListenerSettings.Endpoint ENDPOINT = new ListenerSettings.Endpoint("ION", 8092,
            "/ims/service", "Base path of the IMS methods: ION calls <base>/ping, <base>/protocol and "
                    + "<base>/v3/multipartMessage. ION's IMS endpoint URL is the public URL of this path.",
            8 * 1_048_576, REQUEST_TIMEOUT_MS, "ION's own timeout is not documented.", "parses its BOD and waits for Kafka",
            32, "docs/ion-document-flow.md");

    public IonBodSourceConfig(Map<String, String> props) {
        super(configDef(), props);
        missingForAuthentication(props).stream().findFirst().ifPresent(name -> {
            throw new SettingException(name, missingReason(name, authentication(props)));
        });
        // an uncompressed payload counts against the inflated limit too: it must hold any body the listener takes
        if (getInt(MAX_INFLATED) < getInt(ListenerSettings.MAX_BODY)) {
            throw new SettingException(MAX_INFLATED, "must be at least " + ListenerSettings.MAX_BODY + " ("
                    + getInt(ListenerSettings.MAX_BODY) + "): a payload sent without DEFLATE counts against it too");
        }
    }

    public static ConfigDef configDef() {
        int ion = 0;
        int records = 0;
        ConfigDef def = new ConfigDef()
                .define(TENANT, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                        Importance.HIGH, "The tenant id, e.g. ACME_PRD: ION sends it in X-TenantId (compared "
                                + "case-insensitively; other tenants get 412), and every record carries it. Use the "
                                + "Infor source's tenant (the .ionapi file's ti), so both intakes write the same keys.",
                        GROUP_ION, ++ion, Width.MEDIUM, "Tenant")
                .define(BACKEND, Type.STRING, ConfigDef.NO_DEFAULT_VALUE,
                        ConfigDef.CaseInsensitiveValidString.in("M3", "SYTELINE"), Importance.HIGH,
                        "The CloudSuite ERP that publishes the BODs: M3 or SYTELINE.",
                        GROUP_ION, ++ion, Width.SHORT, "Backend")
                .define(COMPANY, Type.STRING, "", Importance.MEDIUM,
                        "The company of every record's key (M3 CONO, SyteLine site). Empty: read from the BOD's "
                                + "accounting entity, the part before '_' on M3 (CONO_DIVI) and the whole on "
                                + "SyteLine. Set it when the document flow's accounting entity has another form.",
                        GROUP_ION, ++ion, Width.SHORT, "Company")
                .define(TIMEZONE, Type.STRING, "UTC", SettingValidators.zoneId(), Importance.LOW,
                        "Zone of BOD date-times written without an offset.",
                        GROUP_ION, ++ion, Width.SHORT, "Tenant time zone")
                .define(AUTHENTICATION, Type.STRING, "OAUTH1", ConfigDef.CaseInsensitiveValidString.in("OAUTH1",
                        "BASIC", "API_KEY", "BEARER"), Importance.HIGH,
                        "How ION proves each request. OAUTH1: a direct 'Infor application (IMS)' connection point "
                                + "signs with the OAuth consumer key and secret (two-legged OAuth 1.0a, HMAC-SHA1). "
                                + "BASIC, API_KEY or BEARER: 'IMS via API Gateway', with that target-endpoint "
                                + "security (BEARER compares a fixed token; it does not verify a JWT).",
                        GROUP_ION, ++ion, Width.SHORT, "Authentication")
                .define(ENDPOINT_URL, Type.STRING, null, SettingValidators.absoluteHttpUrlOrNull(), Importance.HIGH,
                        "The IMS endpoint URL as ION calls it (e.g. https://connect.example.com/ims/service), "
                                + "usually a load balancer that forwards to " + ListenerSettings.PORT + " and "
                                + ListenerSettings.PATH + ". OAuth 1.0a signatures cover it. Required with OAUTH1.",
                        GROUP_ION, ++ion, Width.LONG, "IMS endpoint URL")
                .define(CONSUMER_KEY, Type.STRING, null, Importance.HIGH,
                        "The connection point's OAuth consumer key. Required with OAUTH1.",
                        GROUP_ION, ++ion, Width.MEDIUM, "OAuth consumer key")
                .define(CONSUMER_SECRET, Type.PASSWORD, null, Importance.HIGH,
                        "The connection point's OAuth consumer secret; supply it through a ConfigProvider. "
                                + "Required with OAUTH1.",
                        GROUP_ION, ++ion, Width.MEDIUM, "OAuth consumer secret")
                .define(TIMESTAMP_SKEW, Type.LONG, 300_000L, ConfigDef.Range.between(10_000, 3_600_000),
                        Importance.LOW, "How far an OAuth timestamp may be from the worker's clock; nonces are "
                                + "remembered this long, so a replayed request is refused.",
                        GROUP_ION, ++ion, Width.SHORT, "Timestamp skew")
                .define(BASIC_USER, Type.STRING, null, Importance.HIGH,
                        "The user the API Gateway's Basic target-endpoint security sends. Required with BASIC.",
                        GROUP_ION, ++ion, Width.MEDIUM, "Basic user")
                .define(BASIC_PASSWORD, Type.PASSWORD, null, Importance.HIGH,
                        "Its password; supply it through a ConfigProvider. Required with BASIC.",
                        GROUP_ION, ++ion, Width.MEDIUM, "Basic password")
                .define(API_KEY_HEADER, Type.STRING, "X-API-Key", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "The header that carries the API key, as the API Gateway's target endpoint is set up to send "
                                + "it (the reference names no standard header).",
                        GROUP_ION, ++ion, Width.SHORT, "API key header")
                .define(API_KEY, Type.PASSWORD, null, Importance.HIGH,
                        "The API key; supply it through a ConfigProvider. Required with API_KEY.",
                        GROUP_ION, ++ion, Width.MEDIUM, "API key")
                .define(BEARER_TOKEN, Type.PASSWORD, null, Importance.HIGH,
                        "The token the API Gateway sends as 'Authorization: Bearer'; supply it through a "
                                + "ConfigProvider. Required with BEARER.",
                        GROUP_ION, ++ion, Width.MEDIUM, "Bearer token")
                .define(MESSAGE_METHOD, Type.STRING, "MULTIPART_MESSAGE", ConfigDef.CaseInsensitiveValidString.in(
                        "MULTIPART_MESSAGE", "MESSAGE"), Importance.LOW,
                        "The method protocol tells ION to use: MULTIPART_MESSAGE (v3/multipartMessage, parameters in "
                                + "a ParameterRequest part) or MESSAGE (v3/message/multipart, one MessagePayload part, "
                                + "parameters in headers or the query). Both are served whatever this says.",
                        GROUP_ION, ++ion, Width.SHORT, "Message method")
                .define(PARAMETER_HEADER_PREFIX, Type.STRING, "X-Infor-ION-", new ConfigDef.NonEmptyString(),
                        Importance.LOW, "For v3/message/multipart: the header prefix of each message parameter "
                                + "(X-Infor-ION-documentName, ...); a parameter without its header is read from the "
                                + "query string under its own name. Infor has not published the names ION sends: "
                                + "the default is the one its clients use towards ION.",
                        GROUP_ION, ++ion, Width.MEDIUM, "Parameter header prefix")
                .define(LOGICAL_IDS, Type.LIST, "", Importance.MEDIUM,
                        "The fromLogicalId values accepted, e.g. lid://infor.m3.m3; others get 403. Empty: any.",
                        GROUP_ION, ++ion, Width.LONG, "Allowed logical ids")
                .define(DOCUMENTS, Type.LIST, "Sync.PurchaseOrder,Sync.SupplierInvoice", DOCUMENT_LIST,
                        Importance.MEDIUM, "The documents taken; others get 412, as ION itself answers a document "
                                + "that is not on the connection point.",
                        GROUP_ION, ++ion, Width.LONG, "Documents")
                .define(MAX_INFLATED, Type.INT, 64 * 1_048_576, ConfigDef.Range.between(1024, 512 * 1_048_576),
                        Importance.LOW, "Largest BOD after a DEFLATE payload is inflated; larger ones get 413.",
                        GROUP_ION, ++ion, Width.SHORT, "Inflated size limit")
                .define(CACHE_SIZE, Type.INT, 100_000, ConfigDef.Range.between(100, 10_000_000), Importance.LOW,
                        "Documents whose newest version is kept in memory; others are read back from the source "
                                + "offsets when they come again.",
                        GROUP_ION, ++ion, Width.SHORT, "Document cache size");
        ListenerSettings.define(def, GROUP_ENDPOINT, 0, ENDPOINT, order -> order);
        return def
                .define(TOPIC_TEMPLATE, Type.STRING, "infor.${tenant}.${entity}", new ConfigDef.NonEmptyString(),
                        Importance.MEDIUM, "Topic name per entity; ${tenant} and ${entity} are replaced. The Infor "
                                + "source's default, so that both intakes feed the same topics.",
                        GROUP_RECORDS, ++records, Width.MEDIUM, "Topic template")
                .define(ERRORS_TOPIC, Type.STRING, "infor.${tenant}.data-errors", new ConfigDef.NonEmptyString(),
                        Importance.MEDIUM, "Where BODs that do not have the expected structure go, with the reason, "
                                + "the BODID and the message id; ${tenant} is replaced. ION is answered once the "
                                + "error record is in Kafka.",
                        GROUP_RECORDS, ++records, Width.MEDIUM, "Data errors topic")
                .define(AUDIT_TOPIC, Type.STRING, "infor.${tenant}.ion-audit", new ConfigDef.NonEmptyString(),
                        Importance.MEDIUM, "Where a record of each BOD not written goes: a stale variation or a "
                                + "duplicate; ${tenant} is replaced.",
                        GROUP_RECORDS, ++records, Width.MEDIUM, "Audit topic")
                .define(AMOUNT_SCALE, Type.INT, 2, ConfigDef.Range.between(0, 18), Importance.LOW,
                        "Decimal places of every amount field (Connect Decimal), as the Infor source's. An amount "
                                + "with more significant decimals is a data error, never rounded.",
                        GROUP_RECORDS, ++records, Width.SHORT, "Amount scale");
    }

    public String tenant() {
        return getString(TENANT).trim();
    }

    public InforBackend backend() {
        return InforBackend.parse(getString(BACKEND));
    }

    public ZoneId zone() {
        return ZoneId.of(getString(TIMEZONE));
    }

    public Authentication authentication() {
        return Authentication.valueOf(getString(AUTHENTICATION).trim().toUpperCase(Locale.ROOT));
    }

    public MessageMethod messageMethod() {
        return MessageMethod.valueOf(getString(MESSAGE_METHOD).trim().toUpperCase(Locale.ROOT));
    }

    public Set<String> documents() {
        return Set.copyOf(getList(DOCUMENTS));
    }

    public String topic(Entity entity) {
        return RecordSchemas.topic(getString(TOPIC_TEMPLATE), tenant(), entity);
    }

    public String errorsTopic() {
        return getString(ERRORS_TOPIC).replace("${tenant}", tenant());
    }

    public String auditTopic() {
        return getString(AUDIT_TOPIC).replace("${tenant}", tenant());
    }

    private static Authentication authentication(Map<String, String> props) {
        return Authentication.valueOf(props.getOrDefault(AUTHENTICATION, "OAUTH1").trim().toUpperCase(Locale.ROOT));
    }

    /** The settings the chosen authentication needs and the config lacks. */
    static List<String> missingForAuthentication(Map<String, String> props) {
        List<String> needed;
        try {
            needed = switch (authentication(props)) {
                case OAUTH1 -> List.of(ENDPOINT_URL, CONSUMER_KEY, CONSUMER_SECRET);
                case BASIC -> List.of(BASIC_USER, BASIC_PASSWORD);
                case API_KEY -> List.of(API_KEY);
                case BEARER -> List.of(BEARER_TOKEN);
            };
        } catch (IllegalArgumentException e) {
            return List.of(); // the ConfigDef reports the authentication itself
        }
        return needed.stream().filter(name -> props.get(name) == null || props.get(name).isBlank()).toList();
    }

    /** Worded as Kafka words a missing required setting, with the condition. */
    static String missingReason(String name, Authentication authentication) {
        return "Missing required configuration \"" + name + "\" with " + AUTHENTICATION + "=" + authentication;
    }

    static String missingReason(String name, Map<String, String> props) {
        return missingReason(name, authentication(props));
    }

    private static final ConfigDef.Validator DOCUMENT_LIST = ConfigDef.LambdaValidator.with((name, value) -> {
        List<?> documents = (List<?>) value;
        if (documents.isEmpty()) {
            throw new ConfigException(name, value, "name at least one document");
        }
        for (Object document : documents) {
            if (!DOCUMENT_ENTITIES.containsKey(String.valueOf(document))) {
                throw new ConfigException(name, value, "'" + document + "' is not taken; known are "
                        + String.join(", ", DOCUMENT_ENTITIES.keySet().stream().sorted().toList()));
            }
        }
    }, () -> "Sync.PurchaseOrder, Sync.SupplierInvoice");
}
