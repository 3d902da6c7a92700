package io.nexchange.sandbox.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.nexchange.sandbox.internal.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** One response: status, headers, body. Handlers return it; the wire or a JSON batch writes it. */
public final class Resp {
    public static final String GRAPH_JSON =
            "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

    public final int status;
    public final Map<String, String> headers = new LinkedHashMap<>();
    public final byte[] body;
    /** Set on an error answer so a JSON batch can embed it as an object. */
    public final JsonNode json;
    /** Set when an injected fault wants the body cut short on the wire (EWS decides this while parsing). */
    public boolean truncateBody;

    private Resp(int status, byte[] body, JsonNode json) {
        this.status = status;
        this.body = body;
        this.json = json;
    }

    public static Resp json(int status, JsonNode node) {
        return json(status, node, GRAPH_JSON);
    }

    public static Resp json(int status, JsonNode node, String contentType) {
        try {
            Resp r = new Resp(status, withInvalidUtf8(Json.MAPPER.writeValueAsBytes(node)), node);
            r.headers.put("Content-Type", contentType);
            return r;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Where a string value holds {@link io.nexchange.sandbox.SandboxServer#INVALID_UTF8} (set through the admin API's
     * {@code malform}), the answer carries the bytes FF FE instead: invalid UTF-8, as a broken server or mailbox sends it.
     */
    private static byte[] withInvalidUtf8(byte[] json) {
        byte[] marker = INVALID_UTF8_JSON;
        int at = indexOf(json, marker, 0);
        if (at < 0) {
            return json;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(json.length);
        int from = 0;
        for (; at >= 0; at = indexOf(json, marker, from)) {
            out.write(json, from, at - from);
            out.write(0xFF);
            out.write(0xFE);
            from = at + marker.length;
        }
        out.write(json, from, json.length - from);
        return out.toByteArray();
    }

    /** How Jackson writes the marker inside a JSON string. */
    private static final byte[] INVALID_UTF8_JSON = "\\u0000invalid-utf-8\\u0000".getBytes(StandardCharsets.US_ASCII);

    private static int indexOf(byte[] data, byte[] part, int from) {
        outer:
        for (int i = from; i <= data.length - part.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (data[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    public static Resp empty(int status) {
        return new Resp(status, new byte[0], null);
    }

    public static Resp bytes(int status, byte[] body, String contentType) {
        Resp r = new Resp(status, body, null);
        r.headers.put("Content-Type", contentType);
        return r;
    }

    public static Resp text(int status, String text) {
        return bytes(status, text.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
    }

    public Resp header(String name, String value) {
        headers.put(name, value);
        return this;
    }
}
