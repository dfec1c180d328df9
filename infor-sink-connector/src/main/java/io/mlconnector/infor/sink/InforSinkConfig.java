package io.mlconnector.infor.sink;

import io.mlconnector.connect.ConnectionSettings;
import io.mlconnector.connect.ConnectionSettings.InforBackend;
import io.mlconnector.connect.ledger.TaskLedger;
import io.mlconnector.infor.IonApiCredentials;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/**
 * Settings of the Infor sink connector. The writeback rules each have their own settings under
 * {@code writeback.rule.<name>.}, defined by {@link RuleConfig}.
 */
public final class InforSinkConfig extends AbstractConfig {

    public static final String COMPANY = "infor.company";
    public static final String DIVISION = "infor.division";
    public static final String MONGOOSE_CONFIG = "syteline.mongoose.config";
    public static final String RULES = "writeback.rules";
    public static final String APPROVERS = "writeback.approvers";
    public static final String RULE_PREFIX = "writeback.rule.";
    public static final String AUDIT_TOPIC = "audit.topic";
    public static final String AUDIT_BOOTSTRAP = "audit.bootstrap.servers";
    public static final String AUDIT_PRODUCER_PREFIX = "audit.producer.";
    public static final String RETRY_BACKOFF = "retry.backoff.ms";

    private static final String GROUP_RULES = "Writeback rules";
    private static final String GROUP_AUDIT = "Audit";

    public InforSinkConfig(Map<String, String> props) {
        super(configDef(), props);
    }

    public static ConfigDef configDef() {
        return TaskLedger.define(ConnectionSettings.defineInfor(new ConfigDef(), content -> IonApiCredentials.parse(content).urls()))
                .define(COMPANY, Type.STRING, "", Importance.MEDIUM,
                        "M3 company (CONO) of the writebacks; empty uses the service account's default company.",
                        ConnectionSettings.GROUP_INFOR, 3, Width.SHORT, "M3 company")
                .define(DIVISION, Type.STRING, "", Importance.LOW,
                        "M3 division (DIVI) of the writebacks; empty uses the default division.",
                        ConnectionSettings.GROUP_INFOR, 4, Width.SHORT, "M3 division")
                .define(MONGOOSE_CONFIG, Type.STRING, "", Importance.MEDIUM,
                        "SyteLine: the Mongoose configuration (site) the IDO updates go to, sent as "
                                + "X-Infor-MongooseConfig. Required with infor.backend=SYTELINE.",
                        ConnectionSettings.GROUP_INFOR, 5, Width.MEDIUM, "Mongoose configuration")
                .define(RULES, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonNullValidator(),
                        Importance.HIGH, "Names of the writeback rules, tried in order; the first rule whose "
                                + "'when' matches an event acts on it. Each rule's settings start with "
                                + "writeback.rule.<name>. (see the rule settings below). Events no rule matches "
                                + "are passed over.",
                        GROUP_RULES, 1, Width.LONG, "Rules")
                .define(APPROVERS, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonNullValidator(),
                        Importance.HIGH, "Who may decide about a record in Asana: '" + Approvers.ANY_MEMBER + "' (anyone "
                                + "who can edit the task), '" + Approvers.ASSIGNEE + "' (the assignee the Asana sink "
                                + "set, not one a member sets later), or a list of Asana user gids. Changes by the "
                                + "connectors' own Asana user are never decisions, whatever this says. A refused "
                                + "change is audited NOT_ALLOWED and nothing is written.",
                        GROUP_RULES, 2, Width.LONG, "Approvers")
                .define(AUDIT_TOPIC, Type.STRING, "ml.audit", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "Topic that receives the outcome of every writeback (JSON, keyed by the CloudSuite "
                                + "reference).",
                        GROUP_AUDIT, 1, Width.MEDIUM, "Audit topic")
                .define(AUDIT_BOOTSTRAP, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH, "Kafka bootstrap servers of the audit topic, usually the Connect "
                                + "cluster's own: the list, or ${env:CONNECT_BOOTSTRAP_SERVERS} through the worker's "
                                + "EnvVarConfigProvider. Validate checks that the cluster answers. Producer settings such "
                                + "as security go under audit.producer.*.",
                        GROUP_AUDIT, 2, Width.LONG, "Audit bootstrap servers")
                .define(RETRY_BACKOFF, Type.LONG, 1000L, ConfigDef.Range.atLeast(0), Importance.LOW,
                        "Wait before Connect redelivers a batch after CloudSuite or the audit topic failed "
                                + "transiently (429, 5xx, timeout).",
                        GROUP_AUDIT, 3, Width.SHORT, "Retry backoff");
    }

    public InforBackend backend() {
        return InforBackend.parse(getString(ConnectionSettings.INFOR_BACKEND));
    }

    public String ionCredentials() {
        return getPassword(ConnectionSettings.ION_CREDENTIALS).value();
    }

    /** The rules in order, each parsed from its own settings; fails naming the first bad setting. */
    public List<WritebackRule> rules() {
        List<WritebackRule> rules = new ArrayList<>();
        for (String name : getList(RULES)) {
            rules.add(WritebackRule.parse(name, new RuleConfig(originalsWithPrefix(RULE_PREFIX + name + "."))));
        }
        return rules;
    }

    public Approvers approvers() {
        return Approvers.parse(APPROVERS, getList(APPROVERS));
    }

    /**
     * Producer settings for the audit log: audit.producer.* over safe defaults. {@code clientId} is the task's own,
     * so that tasks sharing a worker do not clash in JMX.
     */
    public Map<String, Object> auditProducerSettings(String clientId) {
        Map<String, Object> settings = new java.util.HashMap<>(originalsWithPrefix(AUDIT_PRODUCER_PREFIX));
        settings.put("bootstrap.servers", String.join(",", getList(AUDIT_BOOTSTRAP)));
        settings.putIfAbsent("acks", "all");
        settings.putIfAbsent("enable.idempotence", "true");
        settings.putIfAbsent("client.id", clientId);
        return settings;
    }
}
