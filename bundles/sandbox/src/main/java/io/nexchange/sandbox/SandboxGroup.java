package io.nexchange.sandbox;

import java.util.List;

/**
 * A group of the sandbox tenant as the admin side sees it.
 *
 * @param id object id
 * @param displayName display name
 * @param mail primary SMTP address, or null for a group without mail
 * @param memberUpns UPNs of the users that are direct members
 * @param memberGroupIds object ids of the groups nested directly in it
 * @param transitiveMemberUpns UPNs of all users that are members directly or through nested groups, each once
 */
public record SandboxGroup(String id, String displayName, String mail, List<String> memberUpns, List<String> memberGroupIds,
        List<String> transitiveMemberUpns) {
}
