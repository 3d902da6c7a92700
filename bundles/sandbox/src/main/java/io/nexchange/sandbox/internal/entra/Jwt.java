package io.nexchange.sandbox.internal.entra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nexchange.sandbox.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Base64;

/**
 * Compact JWS with RS256/PS256 on the JDK's own Signature. Hand-written because no JOSE library is in
 * the runtime (msal4j 1.2x no longer brings nimbus) and these two algorithms are twenty lines.
 */
public final class Jwt {
    private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DEC = Base64.getUrlDecoder();

    public final ObjectNode header;
    public final ObjectNode claims;
    private final String signingInput;
    private final byte[] signature;

    private Jwt(ObjectNode header, ObjectNode claims, String signingInput, byte[] signature) {
        this.header = header;
        this.claims = claims;
        this.signingInput = signingInput;
        this.signature = signature;
    }

    public static String signRs256(ObjectNode header, ObjectNode claims, PrivateKey key) throws GeneralSecurityException {
        header.put("alg", "RS256");
        String input = ENC.encodeToString(bytes(header)) + "." + ENC.encodeToString(bytes(claims));
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(key);
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + ENC.encodeToString(s.sign());
    }

    /** Parses without verifying; throws IllegalArgumentException when it is not a compact JWS. */
    public static Jwt parse(String token) {
        String[] parts = token == null ? new String[0] : token.split("\\.");
        if (parts.length != 3) {
            throw new IllegalArgumentException("IDX14100: JWT is not well formed, there are no dots (.).");
        }
        try {
            JsonNode header = Json.MAPPER.readTree(DEC.decode(parts[0]));
            JsonNode claims = Json.MAPPER.readTree(DEC.decode(parts[1]));
            if (!(header instanceof ObjectNode) || !(claims instanceof ObjectNode)) {
                throw new IllegalArgumentException("IDX14102: Unable to decode the header or payload as JSON.");
            }
            return new Jwt((ObjectNode) header, (ObjectNode) claims, parts[0] + "." + parts[1], DEC.decode(parts[2]));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("IDX14102: Unable to decode the header or payload as JSON.", e);
        }
    }

    public boolean verify(PublicKey key) {
        try {
            String alg = header.path("alg").asText();
            Signature s;
            if ("RS256".equals(alg)) {
                s = Signature.getInstance("SHA256withRSA");
            } else if ("PS256".equals(alg)) {
                s = Signature.getInstance("RSASSA-PSS");
                s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
            } else {
                return false;
            }
            s.initVerify(key);
            s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
