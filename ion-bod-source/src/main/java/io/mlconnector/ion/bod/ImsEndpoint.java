package io.mlconnector.ion.bod;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlconnector.connect.http.DeliveryStage;
import io.mlconnector.connect.http.HttpListener;
import io.mlconnector.connect.http.HttpRequestReader;
import io.mlconnector.connect.http.ListenerLimits;
import io.mlconnector.http.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application side of an IMS v3 connection point (ion-ims-bod.md 1 and 6.1), served by the hardened
 * {@link HttpListener}: {@code GET <base>/ping}, {@code GET <base>/protocol}, {@code POST <base>/v3/multipartMessage}
 * and {@code POST <base>/v3/message/multipart}. Every request is authenticated first; a message is then checked in
 * the order of Infor's sample (tenant, parts, parameters, payload) and handed to the {@link BodIntake} through the
 * bounded {@link DeliveryStage}. Answers are the sample's JSON, {@code {"code", "status", "message"}}: 202 once
 * Kafka has the record, 400 for a malformed message, 412 for a configuration mismatch, 401/403 for credentials,
 * 503 when ION should deliver again.
 *
 * <p>{@code v3/message/multipart} carries only the payload part; its parameters come in headers and the query. The
 * names ION uses are not public (ion-ims-bod.md 1.7): each parameter is read from the header of the configured
 * prefix and its name ({@code X-Infor-ION-documentName}, as Infor's clients write towards ION), else from the query
 * parameter of its name, and then checked exactly as a ParameterRequest.
 */
final class ImsEndpoint implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ImsEndpoint.class);
    private static final ObjectMapper JSON = Json.MAPPER;
    static final String MULTIPART_MESSAGE = "/v3/multipartMessage";
    static final String MESSAGE_MULTIPART = "/v3/message/multipart";
    /** Longest tenant id ION allows (IDG "Required message headers"). */
    static final int MAX_TENANT = 22;
    /** The ParameterRequest keys (ion-ims-bod.md 1.5), as v3/message/multipart carries them outside the body. */
    static final List<String> PARAMETERS = List.of("documentName", "messageId", "fromLogicalId", "toLogicalId",
            "encoding", "characterSet", "accountingEntity", "location", "documentId", "variationId", "revisionId");

    /**
     * What the endpoint accepts, besides authentication.
     *
     * @param method                which message method {@code protocol} names
     * @param parameterHeaderPrefix for v3/message/multipart, the prefix of each parameter's header
     */
    record Checks(String tenant, Set<String> documents, Set<String> logicalIds, int maxInflatedBytes,
                  IonBodSourceConfig.MessageMethod method, String parameterHeaderPrefix) {
    }

    private final String base;
    private final ImsAuthentication authentication;
    private final Checks checks;
    private final BodIntake intake;
    final DeliveryStage stage;
    final HttpListener listener;

    ImsEndpoint(InetSocketAddress address, SSLContext tls, String base, ListenerLimits limits,
                ImsAuthentication authentication, Checks checks, BodIntake intake) throws IOException {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.authentication = authentication;
        this.checks = checks;
        this.intake = intake;
        this.stage = new DeliveryStage("ion-ims", limits.maxConcurrentDeliveries(), limits.maxQueuedDeliveries());
        try {
            this.listener = new HttpListener("ion-ims", address, tls, Map.of(this.base + "/ping", Set.of("GET"),
                    this.base + "/protocol", Set.of("GET"), this.base + MULTIPART_MESSAGE, Set.of("POST"),
                    this.base + MESSAGE_MULTIPART, Set.of("POST")), limits, this::handle);
        } catch (IOException e) {
            stage.close();
            throw e;
        }
    }

    int port() {
        return listener.port();
    }

    private HttpListener.Response handle(HttpListener.Request request) {
        HttpRequestReader.Head head = request.head();
        try {
            authentication.verify(new ImsAuthentication.Request(head.method(), head.path(), head.rawQuery(),
                    head::header));
            if (head.path().endsWith("/ping")) {
                return answer(200, 200, "OK", null);
            }
            if (head.path().endsWith("/protocol")) {
                return HttpListener.Response.json(200, JSON.createObjectNode().put("version", "v3")
                        .put("messageMethod", checks.method().protocolName()).put("supportedEncoding", "DEFLATE")
                        .put("supportedCharacterSet", "UTF-8").put("hasDiscovery", false).toString());
            }
            return message(request);
        } catch (ImsRefusal refusal) {
            if (refusal.status() == 401 || refusal.status() == 403) {
                log.warn("Refused an IMS request to {} with {}: {}", head.path(), refusal.status(), refusal.getMessage());
            }
            return answer(refusal.status(), refusal.code(), "FAIL", refusal.getMessage());
        }
    }

    private HttpListener.Response message(HttpListener.Request request) throws ImsRefusal {
        HttpRequestReader.Head head = request.head();
        String tenant = head.header("X-TenantId");
        if (tenant == null || tenant.isBlank()) {
            throw ImsRefusal.mismatch(418, "the header X-TenantId is required");
        }
        if (tenant.length() > MAX_TENANT) {
            throw ImsRefusal.mismatch(448, "X-TenantId is longer than " + MAX_TENANT + " characters");
        }
        if (!tenant.trim().toUpperCase(Locale.ROOT).equals(checks.tenant().toUpperCase(Locale.ROOT))) {
            throw ImsRefusal.mismatch(458, "this connection point serves another tenant");
        }
        List<MultipartForm.Part> parts = MultipartForm.parse(head.header("Content-Type"), request.body());
        MultipartForm.Part payload = onlyPart(parts, "MessagePayload");
        ImsParameters message;
        if (head.path().endsWith(MESSAGE_MULTIPART)) {
            if (parts.size() != 1) {
                throw ImsRefusal.mismatch(477, "v3/message/multipart carries exactly one part, MessagePayload");
            }
            message = ImsParameters.parse(parametersOutsideTheBody(head));
        } else {
            MultipartForm.Part parameters = onlyPart(parts, "ParameterRequest");
            if (parts.size() != 2) {
                throw ImsRefusal.mismatch(477, "a message has exactly the parts ParameterRequest and MessagePayload");
            }
            if (parameters.contentType() != null && !parameters.contentType().toLowerCase(Locale.ROOT)
                    .startsWith("application/json")) {
                throw ImsRefusal.mismatch(470, "ParameterRequest must be application/json");
            }
            message = ImsParameters.parse(parameters.content());
        }
        if (!checks.logicalIds().isEmpty() && !checks.logicalIds().contains(message.fromLogicalId())) {
            throw new ImsRefusal(403, 403, "fromLogicalId " + message.fromLogicalId() + " is not allowed to send here");
        }
        if (!checks.documents().contains(message.documentName())) {
            throw ImsRefusal.mismatch(412, "the document " + message.documentName() + " is not taken by this "
                    + "connection point; it takes " + String.join(", ", checks.documents().stream().sorted().toList()));
        }
        byte[] bod = MessagePayload.decode(payload.content(), message.encoding(), checks.maxInflatedBytes());
        AtomicReference<BodIntake.Outcome> outcome = new AtomicReference<>();
        int status = stage.run(() -> {
            outcome.set(intake.take(message, bod, request.deadlineNanos()));
            return outcome.get().acknowledged() ? 202 : 503;
        }, request.deadlineNanos());
        if (status == 202) {
            return answer(202, 202, "OK", outcome.get().message());
        }
        String reason = outcome.get() != null ? outcome.get().message() : "too busy or too slow to take the message "
                + "now; deliver it again";
        return answer(503, 503, "FAIL", reason);
    }

    /**
     * The message parameters of v3/message/multipart as the JSON a ParameterRequest would hold, so that they are
     * checked the same way: each from its prefixed header, else its query parameter.
     */
    private byte[] parametersOutsideTheBody(HttpRequestReader.Head head) throws ImsRefusal {
        ObjectNode parameters = JSON.createObjectNode();
        for (String name : PARAMETERS) {
            String value = head.header(checks.parameterHeaderPrefix() + name);
            if (value == null) {
                List<String> query = head.queryParameter(name);
                if (query.size() > 1) {
                    throw ImsRefusal.malformed("the query names " + name + " more than once");
                }
                value = query.isEmpty() ? null : query.get(0);
            }
            if (value != null) {
                parameters.put(name, value);
            }
        }
        return parameters.isEmpty() ? new byte[0] : parameters.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static MultipartForm.Part onlyPart(List<MultipartForm.Part> parts, String name) throws ImsRefusal {
        List<MultipartForm.Part> named = parts.stream().filter(p -> name.equals(p.name())).toList();
        if (named.size() != 1) {
            throw ImsRefusal.mismatch(477, "a message has exactly one part " + name + "; it had " + named.size());
        }
        return named.get(0);
    }

    private static HttpListener.Response answer(int httpStatus, int code, String status, String message) {
        ObjectNode body = JSON.createObjectNode().put("code", code).put("status", status);
        if (message != null) {
            body.put("message", message);
        }
        return HttpListener.Response.json(httpStatus, body.toString());
    }

    @Override
    public void close() {
        listener.close();
        stage.close();
    }
}
