package io.mlconnector.asana;

import java.util.List;

/**
 * An error answer from Asana: the HTTP status and the messages of its {@code {"errors":[...]}}
 * envelope. Subclasses name the statuses callers act on.
 */
public class AsanaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final List<String> messages;
    private final String phrase;

    public AsanaException(int status, List<String> messages, String phrase) {
        super(describe(status, messages, phrase));
        this.status = status;
        this.messages = List.copyOf(messages);
        this.phrase = phrase;
    }

    /** The HTTP status Asana answered with. */
    public int status() {
        return status;
    }

    /** Asana's error messages, in order. */
    public List<String> messages() {
        return messages;
    }

    /** The support phrase Asana adds to 500 answers, or null. */
    public String phrase() {
        return phrase;
    }

    static AsanaException of(int status, List<String> messages, String phrase, String sync, long retryAfterSeconds) {
        return switch (status) {
            case 400 -> new BadRequestException(messages);
            case 401 -> new UnauthorizedException(messages);
            case 402 -> new PaymentRequiredException(messages);
            case 403 -> new ForbiddenException(messages);
            case 404 -> new NotFoundException(messages);
            case 412 -> new SyncTokenExpiredException(messages, sync == null ? null : new SyncToken(sync));
            case 429 -> new RateLimitedException(messages, retryAfterSeconds);
            case 451 -> new LegalBlockException(messages);
            default -> status >= 500 ? new ServerErrorException(status, messages, phrase)
                    : new AsanaException(status, messages, phrase);
        };
    }

    private static String describe(int status, List<String> messages, String phrase) {
        StringBuilder text = new StringBuilder("Asana answered ").append(status);
        if (!messages.isEmpty()) {
            text.append(": ").append(String.join("; ", messages));
        }
        if (phrase != null) {
            text.append(" (phrase: ").append(phrase).append(')');
        }
        return text.toString();
    }
}
