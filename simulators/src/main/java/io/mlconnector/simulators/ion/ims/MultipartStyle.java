package io.mlconnector.simulators.ion.ims;

/**
 * Spelling variants of the {@code multipart/form-data} request that RFC 7578 / RFC 2046 allow and the reference
 * does not pin down. The default is the reference's literal form (1.5, 6.2): {@code boundary=<uuid>} unquoted,
 * {@code name="ParameterRequest"} and {@code name="MessagePayload"} quoted, no {@code filename}. The reference
 * says receivers must accept each part "as a plain form field or as a file part" (1.5), so the filename options
 * exercise the file form.
 *
 * @param quoteBoundary     write {@code boundary="<uuid>"} in the Content-Type header
 * @param quotePartNames    write {@code name="X"} (true) or {@code name=X} (false)
 * @param parameterFilename a {@code filename} for the ParameterRequest part, or null for none
 * @param payloadFilename   a {@code filename} for the MessagePayload part, or null for none
 */
public record MultipartStyle(boolean quoteBoundary, boolean quotePartNames, String parameterFilename,
                             String payloadFilename) {

    public static final MultipartStyle DEFAULT = new MultipartStyle(false, true, null, null);
}
