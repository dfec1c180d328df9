package io.mlconnector.asana.webhook;

import io.mlconnector.connect.ConnectionSettings;
import io.mlconnector.connect.ConnectionSettings.AsanaTokenType;
import io.mlconnector.connect.SettingException;
import io.mlconnector.connect.SettingValidators;
import io.mlconnector.connect.http.ListenerSettings;
import io.mlconnector.secrets.KeyRing;
import io.mlconnector.secrets.SecretException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/** Settings of the Asana webhook source connector, which receives task changes by signed webhook. */
public final class AsanaWebhookSourceConfig extends AbstractConfig {

    public static final String TOKEN_TYPE = ConnectionSettings.ASANA_TOKEN_TYPE;
    public static final String BASE_URL = ConnectionSettings.ASANA_BASE_URL;
    public static final String WORKSPACE = "asana.workspace.gid";
    public static final String RESOURCE = "asana.resource.gid";
    public static final String RATE_LIMIT = ConnectionSettings.ASANA_RATE_LIMIT;

    public static final String DELIVERY_MODE = "delivery.mode";
    public static final String TARGET_URL = "webhook.target.url";
    public static final String FILTERS = "webhook.filters";
    public static final String CHECK_INTERVAL = "webhook.check.interval.ms";
    public static final String SECRET_KEY = "webhook.secret.encryption.key";
    public static final String SECRET_KEY_ID = "webhook.secret.encryption.key.id";
    public static final String SECRET_OLD_KEYS = "webhook.secret.encryption.previous.keys";

    public static final String LISTENER_BIND = ListenerSettings.BIND;
    public static final String LISTENER_PORT = ListenerSettings.PORT;
    public static final String LISTENER_PATH = ListenerSettings.PATH;
    public static final String ACK_TIMEOUT = "listener.ack.timeout.ms";

    /** The endpoint Asana POSTs to. */
    private static final ListenerSettings.Endpoint ENDPOINT = new ListenerSettings.Endpoint("Asana", 8090,
            "/asana/webhook", "Path the endpoint answers; other paths get 404.", 1_048_576, 10_000L,
            "Asana waits 10 s.", "reads its tasks from Asana and waits for Kafka", 8, "docs/webhook-endpoint.md");

    public static final String CATCHUP_INTERVAL = "catchup.interval.ms";
    public static final String CATCHUP_GRACE = "catchup.grace.ms";
    public static final String DEDUPE_WINDOW = "dedupe.window.events";

    public static final String TOPIC = "topic";
    public static final String CHECKPOINT_TOPIC = "checkpoint.topic";
    public static final String PO_NUMBER_FIELD = "record.po.number.field";
    public static final String INVOICE_NUMBER_FIELD = "record.invoice.number.field";

    private static final String GROUP_WEBHOOK = "Webhook";
    private static final String GROUP_ENDPOINT = "Endpoint";
    private static final String GROUP_CATCHUP = "Catch-up";
    private static final String GROUP_RECORDS = "Records";

    /** How changes reach the task: Asana POSTs them to its listener, or it reads them from the events API. */
    public enum DeliveryMode {
        WEBHOOK, EVENTS
    }

    private final KeyRing secretKeys;

    public AsanaWebhookSourceConfig(Map<String, String> props) {
        super(configDef(), props);
        ConnectionSettings.asanaGrant(this);
        missingForWebhooks(props).stream().findFirst().ifPresent(name -> {
            throw new SettingException(name, missingForWebhooksReason(name));
        });
        secretKeys = deliveryMode() == DeliveryMode.WEBHOOK ? readSecretKeys() : null;
    }

    /** Worded as Kafka words a missing required setting, with the condition. */
    static String missingForWebhooksReason(String name) {
        return "Missing required configuration \"" + name + "\" with " + DELIVERY_MODE + "=WEBHOOK (the default); "
                + "without a webhook, set " + DELIVERY_MODE + "=EVENTS";
    }

    /** The settings webhook delivery needs and the config lacks; none with {@code delivery.mode=EVENTS}. */
    static List<String> missingForWebhooks(Map<String, String> props) {
        if ("EVENTS".equalsIgnoreCase(props.getOrDefault(DELIVERY_MODE, "WEBHOOK").trim())) {
            return List.of();
        }
        return java.util.stream.Stream.of(TARGET_URL, SECRET_KEY)
                .filter(name -> props.get(name) == null || props.get(name).isBlank()).toList();
    }

    public DeliveryMode deliveryMode() {
        return DeliveryMode.valueOf(getString(DELIVERY_MODE).trim().toUpperCase(Locale.ROOT));
    }

    public static ConfigDef configDef() {
        int asana = 2;
        int webhook = 0;
        int catchup = 0;
        int records = 0;
        ConfigDef def = ConnectionSettings.defineAsana(new ConfigDef());
        def.define(WORKSPACE, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                        Importance.HIGH, "GID of the workspace holding the resource; Asana lists webhooks per workspace.",
                        ConnectionSettings.GROUP_ASANA, ++asana, Width.MEDIUM, "Workspace GID")
                .define(RESOURCE, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                        Importance.HIGH, "GID of the project whose task changes the webhook reports. A workspace "
                                + "GID works too, but Asana sends workspace webhooks no task events and cannot "
                                + "reconcile a workspace after an expired sync token.",
                        ConnectionSettings.GROUP_ASANA, ++asana, Width.MEDIUM, "Resource GID")
                .define(DELIVERY_MODE, Type.STRING, "WEBHOOK", ConfigDef.CaseInsensitiveValidString.in("WEBHOOK",
                        "EVENTS"), Importance.HIGH,
                        "WEBHOOK: Asana POSTs each change to the task's listener within about a second, and the "
                                + "events API recovers what a delivery missed. EVENTS, for workers Asana cannot "
                                + "reach: no listener and no webhook; the task reads Asana's events API every "
                                + CATCHUP_INTERVAL + ", so a change arrives within that interval, and each read "
                                + "costs at least one request of the budget (6 a minute at 10 s) plus one per "
                                + "changed task read. The webhook and listener settings are then ignored.",
                        GROUP_WEBHOOK, ++webhook, Width.SHORT, "Delivery mode")
                .define(TARGET_URL, Type.STRING, null, SettingValidators.absoluteHttpUrlOrNull(), Importance.HIGH,
                        "The public https URL at which Asana reaches this endpoint, usually a load balancer in "
                                + "front of the Connect workers that forwards to listener.port. Registered with a "
                                + "one-time query parameter 'registration' added, which the endpoint requires of the "
                                + "handshake: the load balancer must pass the query string on. Required with "
                                + DELIVERY_MODE + "=WEBHOOK.",
                        GROUP_WEBHOOK, ++webhook, Width.LONG, "Target URL")
                .define(FILTERS, Type.LIST, "task:changed,task:added,task:removed,task:deleted,task:undeleted",
                        FILTER_LIST, Importance.MEDIUM,
                        "Events the webhook delivers, as 'resource_type:action[:field|field...]' entries, e.g. "
                                + "'task:changed:completed|custom_fields'. The events API catch-up applies the same "
                                + "filters. Fields are only valid with action 'changed'.",
                        GROUP_WEBHOOK, ++webhook, Width.LONG, "Filters")
                .define(CHECK_INTERVAL, Type.LONG, 60_000L, ConfigDef.Range.atLeast(1000), Importance.LOW,
                        "How often the task reads its webhook from Asana, to re-register it when Asana deleted it "
                                + "and to log delivery failures Asana reports.",
                        GROUP_WEBHOOK, ++webhook, Width.SHORT, "Webhook check interval")
                .define(SECRET_KEY, Type.PASSWORD, null, AES_256_KEY, Importance.HIGH,
                        "Base64 of 32 random bytes: the AES-256-GCM key that encrypts the webhook's handshake "
                                + "secret in the source offsets, so a restarted or moved task keeps verifying. "
                                + "Supply it through a ConfigProvider. Required with " + DELIVERY_MODE + "=WEBHOOK.",
                        GROUP_WEBHOOK, ++webhook, Width.LONG, "Secret encryption key")
                .define(SECRET_KEY_ID, Type.STRING, "1", KEY_ID, Importance.LOW,
                        "Name of the encryption key, stored next to each encrypted secret; change it when rotating.",
                        GROUP_WEBHOOK, ++webhook, Width.SHORT, "Secret key id")
                .define(SECRET_OLD_KEYS, Type.PASSWORD, "", Importance.LOW,
                        "Earlier keys still able to decrypt a stored secret, as 'id=base64key' pairs separated by "
                                + "commas. The secret is re-encrypted with the current key at the next checkpoint.",
                        GROUP_WEBHOOK, ++webhook, Width.LONG, "Previous secret keys");
        ListenerSettings.define(def, GROUP_ENDPOINT, 0, ENDPOINT, order -> {
            def.define(ACK_TIMEOUT, Type.LONG, 8000L, ConfigDef.Range.between(100, 9500), Importance.LOW,
                    "How long a POST waits for Kafka to acknowledge its records before answering 503 so that "
                            + "Asana retries; below Asana's 10-second window.",
                    GROUP_ENDPOINT, ++order, Width.SHORT, "Acknowledgement timeout");
            return order;
        });
        return def
                .define(CATCHUP_INTERVAL, Type.LONG, 30_000L, ConfigDef.Range.atLeast(1000), Importance.MEDIUM,
                        "How often the task reads Asana's events API for changes whose delivery failed or was "
                                + "lost, and with " + DELIVERY_MODE + "=EVENTS for every change; the sync token is "
                                + "kept in the source offset.",
                        GROUP_CATCHUP, ++catchup, Width.SHORT, "Catch-up interval")
                .define(CATCHUP_GRACE, Type.LONG, 120_000L, ConfigDef.Range.atLeast(0), Importance.LOW,
                        "Age an event must reach before the catch-up emits it, leaving the webhook time to "
                                + "deliver it first. Not used with " + DELIVERY_MODE + "=EVENTS.",
                        GROUP_CATCHUP, ++catchup, Width.SHORT, "Catch-up grace")
                .define(DEDUPE_WINDOW, Type.INT, 5000, ConfigDef.Range.between(100, 50_000), Importance.LOW,
                        "Identities of the most recent events kept in the source offsets, so an event delivered "
                                + "again after a restart is not produced twice. Each offset commit carries at most a "
                                + "twentieth of them; each full twentieth is stored once, under a source partition "
                                + "of its own (one of 20 slots, taken in turn).",
                        GROUP_CATCHUP, ++catchup, Width.SHORT, "Dedupe window")

                .define(TOPIC, Type.STRING, "asana.task-events", new ConfigDef.NonEmptyString(), Importance.HIGH,
                        "Topic the task events are written to, keyed by task GID.",
                        GROUP_RECORDS, ++records, Width.MEDIUM, "Topic")
                .define(CHECKPOINT_TOPIC, Type.STRING, "asana.webhook-source.checkpoints", new ConfigDef.NonEmptyString(),
                        Importance.LOW, "Topic of small checkpoint records (no secret in them) that carry the "
                                + "source offset when no task event does: after a handshake or a quiet catch-up. "
                                + "Compact it.",
                        GROUP_RECORDS, ++records, Width.MEDIUM, "Checkpoint topic")
                .define(PO_NUMBER_FIELD, Type.STRING, "PO number", Importance.MEDIUM,
                        "Custom field (name or GID) copied into the record's po_number; empty for none.",
                        GROUP_RECORDS, ++records, Width.MEDIUM, "PO number field")
                .define(INVOICE_NUMBER_FIELD, Type.STRING, "Invoice number", Importance.MEDIUM,
                        "Custom field (name or GID) copied into the record's invoice_number; empty for none.",
                        GROUP_RECORDS, ++records, Width.MEDIUM, "Invoice number field");
    }

    public AsanaTokenType tokenType() {
        return AsanaTokenType.parse(getString(TOKEN_TYPE));
    }

    public String resource() {
        return getString(RESOURCE);
    }

    public Duration duration(String name) {
        return Duration.ofMillis(getLong(name));
    }

    /** The current key first: it seals; the previous ones only open what they sealed. Null without a webhook. */
    public KeyRing secretKeys() {
        return secretKeys;
    }

    // Read here, so a bad key id or previous key fails the connector's start instead of a half-started task.
    private KeyRing readSecretKeys() {
        try {
            return KeyRing.parse(getString(SECRET_KEY_ID) + "=" + getPassword(SECRET_KEY).value().trim() + "\n"
                    + getPassword(SECRET_OLD_KEYS).value(), SECRET_KEY + " and " + SECRET_OLD_KEYS);
        } catch (SecretException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    public WebhookFilters filters() {
        return WebhookFilters.parse(getList(FILTERS));
    }

    private static final ConfigDef.Validator FILTER_LIST = ConfigDef.LambdaValidator.with((name, value) -> {
        try {
            WebhookFilters.parse(((List<?>) value).stream().map(String::valueOf).toList());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, value, e.getMessage());
        }
    }, () -> "resource_type:action[:field|field...], ...");

    private static final ConfigDef.Validator KEY_ID = ConfigDef.LambdaValidator.with((name, value) -> {
        if (value == null || !String.valueOf(value).matches("[A-Za-z0-9_-]+")) {
            throw new ConfigException(name, value, "a key id may hold only letters, digits, '_' and '-'");
        }
    }, () -> "letters, digits, '_' and '-'");

    // Never echoes the value: it is a key.
    private static final ConfigDef.Validator AES_256_KEY = ConfigDef.LambdaValidator.with((name, value) -> {
        if (value == null) {
            return; // required only with webhooks: the constructor says so
        }
        String text = ((Password) value).value().trim();
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name + " is not Base64");
        }
        if (key.length != 32) {
            throw new ConfigException(name + " must decode to 32 bytes (AES-256), not " + key.length);
        }
    }, () -> "Base64 of 32 bytes");
}
