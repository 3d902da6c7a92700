package io.nexchange.sandbox.internal.entra;

import java.util.Set;

/** What a valid access token says: which app, which tenant, which roles, for which resource. */
public record Principal(String appId, String tenantId, Set<String> roles, String audience) {
    public boolean hasAnyRole(String... candidates) {
        for (String c : candidates) {
            if (roles.contains(c)) {
                return true;
            }
        }
        return false;
    }
}
