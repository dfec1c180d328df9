package io.mlconnector.simulators.ion.ims;

import java.util.Objects;
import java.util.Set;

/**
 * Which message deliveries carry wrong credentials (an OAuth signature made with a wrong secret, or a wrong Basic
 * password), to test that the receiver answers 401 and that a redelivery with good credentials then succeeds.
 * The handshake calls ({@code ping}, {@code protocol}, {@code versions}) are always signed correctly.
 *
 * @param messageIds         messages (by messageId) that get wrong credentials
 * @param firstMessages      additionally, the first {@code n} messages in dispatch order (0 for none)
 * @param attemptsPerMessage how many attempts of each such message are wrong, from the first;
 *                           {@link Integer#MAX_VALUE} (default) means every attempt
 */
public record BadCredentials(Set<String> messageIds, int firstMessages, int attemptsPerMessage) {

    public static final BadCredentials NONE = new BadCredentials(Set.of(), 0, Integer.MAX_VALUE);

    public BadCredentials {
        messageIds = Set.copyOf(Objects.requireNonNull(messageIds, "messageIds"));
        if (firstMessages < 0 || attemptsPerMessage < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
    }

    public static BadCredentials forMessages(Set<String> messageIds) {
        return new BadCredentials(messageIds, 0, Integer.MAX_VALUE);
    }

    public static BadCredentials forFirst(int messages) {
        return new BadCredentials(Set.of(), messages, Integer.MAX_VALUE);
    }

    public BadCredentials withAttemptsPerMessage(int value) {
        return new BadCredentials(messageIds, firstMessages, value);
    }

    /** Whether attempt {@code attempt} (1-based) of the message dispatched at {@code position} (0-based) is wrong. */
    boolean applies(String messageId, long position, int attempt) {
        return (position < firstMessages || messageIds.contains(messageId)) && attempt <= attemptsPerMessage;
    }
}
