package io.nexchange.auth.entra.internal;

import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import java.io.IOException;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Reads the claims of an access token's payload without verifying it: only to tell the operator which
 * application roles the token carries (the resource, not we, validates tokens). JSON through azure-json,
 * which msal4j brings anyway.
 */
final class JwtClaims {
    private final Map<String, Object> claims;

    private JwtClaims(Map<String, Object> claims) {
        this.claims = claims;
    }

    /** The payload, or empty claims when the token is not a JWT (tokens are opaque to clients by contract). */
    static JwtClaims of(String token) {
        String[] parts = token.split("\\.");
        if (parts.length < 2) {
            return new JwtClaims(Map.of());
        }
        try {
            return new JwtClaims(object(Base64.getUrlDecoder().decode(parts[1])));
        } catch (IllegalArgumentException e) {
            return new JwtClaims(Map.of());
        }
    }

    /** A JSON object as maps and lists, or an empty map when the text is not one. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> object(byte[] json) {
        try (JsonReader reader = JsonProviders.createReader(json)) {
            Object value = reader.readUntyped();
            return value instanceof Map ? (Map<String, Object>) value : Map.of();
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    Set<String> roles() {
        Set<String> roles = new LinkedHashSet<>();
        if (claims.get("roles") instanceof Collection<?> list) {
            list.forEach(r -> roles.add(String.valueOf(r)));
        }
        return roles;
    }

    String text(String claim) {
        Object value = claims.get(claim);
        return value == null ? "" : value.toString();
    }

}
