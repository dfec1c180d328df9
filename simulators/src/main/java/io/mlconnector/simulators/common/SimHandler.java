package io.mlconnector.simulators.common;

/** Answers one routed request. A thrown exception becomes a 500 with the message in a JSON body. */
@FunctionalInterface
public interface SimHandler {
    SimResponse handle(SimRequest request) throws Exception;
}
