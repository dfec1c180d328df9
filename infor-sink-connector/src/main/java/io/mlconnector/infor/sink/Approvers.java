package io.mlconnector.infor.sink;

import io.mlconnector.connect.ledger.LedgerEntry;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;

/**
 * Who may decide about a record in Asana: any project member, the assignee the Asana sink itself set
 * (not whoever a member assigns the task to later), or a fixed list of Asana user gids.
 */
abstract sealed class Approvers {

    static final String ANY_MEMBER = "any-member";
    static final String ASSIGNEE = "assignee";

    /** Why this user may not decide about this task's record, or empty when they may. */
    abstract Optional<String> refusal(String userGid, LedgerEntry task);

    static Approvers parse(String setting, List<String> values) {
        if (values.equals(List.of(ANY_MEMBER))) {
            return new AnyMember();
        }
        if (values.equals(List.of(ASSIGNEE))) {
            return new Assignee();
        }
        if (values.isEmpty() || !values.stream().allMatch(v -> v.matches("[0-9]+"))) {
            throw new ConfigException(setting, String.join(",", values), "expected '" + ANY_MEMBER + "', '" + ASSIGNEE
                    + "' or a list of Asana user gids (digits only)");
        }
        return new Listed(Set.copyOf(values));
    }

    static final class AnyMember extends Approvers {
        @Override
        Optional<String> refusal(String userGid, LedgerEntry task) {
            return Optional.empty();
        }
    }

    static final class Assignee extends Approvers {
        @Override
        Optional<String> refusal(String userGid, LedgerEntry task) {
            if (task.assigneeGid() == null) {
                return Optional.of("the connectors assigned task " + task.taskGid() + " to no one, and only its assignee "
                        + "may decide");
            }
            return userGid.equals(task.assigneeGid()) ? Optional.empty() : Optional.of("Asana user " + userGid
                    + " is not the assignee the connectors set (" + task.assigneeGid() + ")");
        }
    }

    static final class Listed extends Approvers {
        private final Set<String> users;

        Listed(Set<String> users) {
            this.users = users;
        }

        @Override
        Optional<String> refusal(String userGid, LedgerEntry task) {
            return users.contains(userGid) ? Optional.empty()
                    : Optional.of("Asana user " + userGid + " is not among the approvers");
        }
    }
}
