package io.mlconnector.asana.sink;

/** A record that cannot become a task as configured: it goes to the dead letter queue with this reason. */
final class MappingException extends RuntimeException {

    MappingException(String message) {
        super(message);
    }
}
