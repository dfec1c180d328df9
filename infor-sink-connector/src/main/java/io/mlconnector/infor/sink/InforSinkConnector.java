package io.mlconnector.infor.sink;

import io.mlconnector.connect.ConnectionSettings.InforBackend;
import io.mlconnector.connect.ConnectionSettings;
import io.mlconnector.connect.KafkaClusterCheck;
import io.mlconnector.connect.LiveValidation;
import io.mlconnector.connect.SettingException;
import io.mlconnector.connect.ledger.TaskLedger;
import io.mlconnector.connect.lifecycle.ManagedSinkConnector;
import io.mlconnector.infor.IdoLoadRequest;
import io.mlconnector.infor.IonAuthenticationException;
import io.mlconnector.infor.IonClient;
import io.mlconnector.infor.IonException;
import io.mlconnector.infor.IonLoginLimitException;
import io.mlconnector.infor.M3TransactionException;
import io.mlconnector.infor.MiRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;

/** Writes Asana approvals back onto Infor CloudSuite records and audits every outcome. */
public class InforSinkConnector extends ManagedSinkConnector<InforSinkConfig> {

    public InforSinkConnector() {
        super(InforSinkConfig.configDef(), InforSinkConnector::parse, InforSinkTask.class);
    }

    /** The settings with each rule's own: a rule's problem lands on the rules setting. */
    private static InforSinkConfig parse(Map<String, String> settings) {
        InforSinkConfig config = new InforSinkConfig(settings);
        try {
            config.rules();
        } catch (SettingException e) {
            throw e;
        } catch (ConfigException e) {
            throw new SettingException(InforSinkConfig.RULES, e.getMessage());
        }
        return config;
    }

    /** Every task gets the same settings; Connect spreads the topic partitions over them. */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>();
        for (int i = 0; i < maxTasks; i++) {
            configs.add(settings());
        }
        return configs;
    }

    /**
     * The ledger's and the audit log's Kafka clusters answer ({@link KafkaClusterCheck}), the service account gets a
     * token, and each rule's target answers one read (an M3 check transaction, or one IDO row with the rule's
     * properties). The token is the worker's cached one when it holds one; a new login is made only within the
     * validation allowance of {@link io.mlconnector.infor.IonTokenProvider}.
     */
    @Override
    protected void checkLive(InforSinkConfig config, Map<String, String> settings, LiveValidation validation) {
        List<WritebackRule> rules = config.rules();
        if (config.backend() == InforBackend.SYTELINE && config.getString(InforSinkConfig.MONGOOSE_CONFIG).isBlank()
                && rules.stream().anyMatch(r -> r.actionType().equals("ido"))) {
            validation.error(InforSinkConfig.MONGOOSE_CONFIG, "IDO rules need the Mongoose configuration (site)");
            return;
        }
        KafkaClusterCheck.check(validation, settings, Map.of(TaskLedger.BOOTSTRAP, TaskLedger.CLIENT_PREFIX,
                InforSinkConfig.AUDIT_BOOTSTRAP, InforSinkConfig.AUDIT_PRODUCER_PREFIX));
        try (IonClient ion = InforClients.forValidation(config)) {
            ion.tokens().accessToken();
            for (WritebackRule rule : rules) {
                probe(rule, ion, config).ifPresent(problem -> validation.error(InforSinkConfig.RULES, problem));
            }
        } catch (IonAuthenticationException e) {
            validation.error(ConnectionSettings.ION_CREDENTIALS, "ION refused the service account: " + e.getMessage());
        } catch (IonLoginLimitException e) {
            validation.error(ConnectionSettings.ION_CREDENTIALS, e.getMessage());
        } catch (IonException e) {
            validation.error(ConnectionSettings.ION_CREDENTIALS, "cannot use the ION API Gateway: " + e.getMessage());
        }
    }

    /** One read against the rule's target; a problem message when the target does not exist. */
    private static Optional<String> probe(WritebackRule rule, IonClient ion, InforSinkConfig config) {
        RuleConfig settings = new RuleConfig(config.originalsWithPrefix(InforSinkConfig.RULE_PREFIX + rule.name() + "."));
        switch (rule.actionType()) {
            case "m3" -> {
                String read = settings.getString(RuleConfig.CHECK_TRANSACTION);
                if (read.isBlank()) {
                    return Optional.empty();
                }
                String[] parts = read.split("/");
                try {
                    ion.m3().execute(MiRequest.builder(parts[0], parts[1]).maxRecords(1).build());
                } catch (M3TransactionException e) {
                    if (e.type().equals("TransactionNotFound")) {
                        return Optional.of("rule " + rule.name() + ": M3 has no transaction " + read);
                    }
                }
                return Optional.empty();
            }
            case "ido" -> {
                List<String> properties = new ArrayList<>();
                settings.getList(RuleConfig.IDO_KEY).forEach(p -> properties.add(p.substring(0, p.indexOf('=')).trim()));
                settings.getList(RuleConfig.IDO_PROPERTIES).forEach(p -> properties.add(p.substring(0, p.indexOf('=')).trim()));
                try {
                    ion.ido(config.getString(InforSinkConfig.MONGOOSE_CONFIG)).load(IdoLoadRequest
                            .builder(settings.getString(RuleConfig.IDO_NAME)).properties(properties.toArray(String[]::new))
                            .recordCap(1).readOnly(true).build());
                } catch (IonLoginLimitException e) {
                    // The token was refused mid-check and no login is left: the credentials' matter, not the rule's.
                    throw e;
                } catch (IonException e) {
                    return Optional.of("rule " + rule.name() + ": " + e.getMessage());
                }
                return Optional.empty();
            }
            default -> {
                return Optional.empty();
            }
        }
    }
}
