package io.mlconnector.http;

/** Turns the answer the policy did not repeat into the client's result, or its typed error. */
@FunctionalInterface
public interface AnswerReader<T> {
    /** @throws UnreadableAnswerException when a successful answer cannot be read; repeated like a 5xx */
    T read(HttpAnswer answer);
}
