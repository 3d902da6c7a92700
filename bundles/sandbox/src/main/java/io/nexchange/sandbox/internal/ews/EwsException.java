package io.nexchange.sandbox.internal.ews;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An EWS error. {@link Kind#RESPONSE}: a response message with ResponseClass="Error" inside a normal
 * 200 answer (per item); {@link Kind#FAULT}: an HTTP 500 SOAP fault (header, schema, throttling
 * errors); {@link Kind#HTTP}: a bare HTTP status without SOAP (401, 503 from the front end).
 */
final class EwsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    enum Kind { RESPONSE, FAULT, HTTP }

    final Kind kind;
    final String code;
    final int httpStatus;
    final transient Map<String, String> messageXml = new LinkedHashMap<>();
    final transient Map<String, String> headers = new LinkedHashMap<>();

    private EwsException(Kind kind, String code, String message, int httpStatus) {
        super(message, null, false, false);
        this.kind = kind;
        this.code = code;
        this.httpStatus = httpStatus;
    }

    static EwsException response(String code, String message) {
        return new EwsException(Kind.RESPONSE, code, message, 200);
    }

    static EwsException fault(String code, String message) {
        return new EwsException(Kind.FAULT, code, message, 500);
    }

    static EwsException http(int status, String message) {
        return new EwsException(Kind.HTTP, null, message, status);
    }

    EwsException header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    EwsException value(String name, String value) {
        messageXml.put(name, value);
        return this;
    }

    static EwsException itemNotFound() {
        return response("ErrorItemNotFound", "The specified object was not found in the store.");
    }

    static EwsException malformedId() {
        return response("ErrorInvalidIdMalformed", "Id is malformed.");
    }

    static EwsException schema(String detail) {
        return fault("ErrorSchemaValidation", "The request failed schema validation: " + detail);
    }
}
