package io.mlconnector.asana;

import java.util.List;

/** The feature needs a paid workspace (402). */
public final class PaymentRequiredException extends AsanaException {
    private static final long serialVersionUID = 1L;

    public PaymentRequiredException(List<String> messages) {
        super(402, messages, null);
    }
}
