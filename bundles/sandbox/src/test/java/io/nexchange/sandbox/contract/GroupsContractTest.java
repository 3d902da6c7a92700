package io.nexchange.sandbox.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nexchange.sandbox.AppRegistration;
import io.nexchange.sandbox.SandboxGroup;
import io.nexchange.sandbox.SandboxOptions;
import io.nexchange.sandbox.SandboxServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Groups on the wire: lookups by mail and name, transitive members with the user cast, paging, errors, permissions. */
class GroupsContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static SandboxServer sandbox;
    private static HttpClient http;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        sandbox = SandboxServer.start(SandboxOptions.defaults().users(12).eventsPerMailbox(1).contactsPerMailbox(1).seed(8));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(Clients.trust(sandbox).context())
                .connectTimeout(Duration.ofSeconds(5)).build();
        token = tokenOf(sandbox.demoApp());
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private static String tokenOf(AppRegistration app) throws Exception {
        return Clients.token(Clients.msalWithSecret(sandbox, app.clientId(), app.clientSecret()));
    }

    private static HttpResponse<String> get(String bearer, String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(pathAndQuery.startsWith("https") ? pathAndQuery
                : sandbox.baseUrl() + pathAndQuery)).timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + bearer);
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(HttpResponse<String> r) throws Exception {
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Transitive user members computed here from the direct memberships the admin side reports. */
    private static Set<String> expectedUsers(SandboxGroup group, Map<String, SandboxGroup> byId, Set<String> visited) {
        Set<String> out = new LinkedHashSet<>(group.memberUpns());
        for (String nested : group.memberGroupIds()) {
            if (visited.add(nested)) {
                out.addAll(expectedUsers(byId.get(nested), byId, visited));
            }
        }
        return out;
    }

    @Test
    void generatedGroupsNestAndHoldAUserWithoutMailbox() {
        Map<String, SandboxGroup> byId = sandbox.groups().stream().collect(Collectors.toMap(SandboxGroup::id, Function.identity()));
        SandboxGroup pilot = sandbox.group("Nexchange Pilot");
        assertFalse(pilot.memberGroupIds().isEmpty(), "a nested group");
        Set<String> expected = expectedUsers(pilot, byId, new HashSet<>());
        assertEquals(expected, new LinkedHashSet<>(pilot.transitiveMemberUpns()));
        assertEquals(pilot.transitiveMemberUpns().size(), new HashSet<>(pilot.transitiveMemberUpns()).size(), "each user once");
        assertTrue(pilot.transitiveMemberUpns().stream().anyMatch(sandbox.usersWithoutMailbox()::contains), "a member without mailbox");
        assertTrue(pilot.transitiveMemberUpns().size() > pilot.memberUpns().size(), "nested members count");
    }

    @Test
    void groupsAreFoundByMailOrDisplayNameWithSelect() throws Exception {
        SandboxGroup sales = sandbox.group("Sales");
        JsonNode byMail = ok(get(token, "/v1.0/groups?$filter=" + q("mail eq '" + sales.mail().toUpperCase() + "'") + "&$select=id,displayName,mail"));
        assertEquals(sandbox.baseUrl() + "/v1.0/$metadata#groups(id,displayName,mail)", byMail.get("@odata.context").asText());
        assertEquals(1, byMail.get("value").size());
        JsonNode g = byMail.get("value").get(0);
        assertEquals(List.of("id", "displayName", "mail"), fieldNames(g));
        assertEquals(sales.id(), g.get("id").asText());

        JsonNode byName = ok(get(token, "/v1.0/groups?$filter=" + q("displayName eq 'nexchange pilot'")));
        assertEquals(1, byName.get("value").size());
        JsonNode pilot = byName.get("value").get(0);
        assertTrue(pilot.get("mail").isNull());
        assertTrue(pilot.get("securityEnabled").asBoolean());
        assertFalse(pilot.get("mailEnabled").asBoolean());
        assertEquals(0, ok(get(token, "/v1.0/groups?$filter=" + q("displayName eq 'O''Brien''s team'"))).get("value").size());
        JsonNode unsupported = JSON.readTree(get(token, "/v1.0/groups?$filter=" + q("startswith(displayName,'S')")).body());
        assertEquals("Request_UnsupportedQuery", unsupported.at("/error/code").asText());

        JsonNode one = ok(get(token, "/v1.0/groups/" + sales.id() + "?$select=displayName"));
        assertEquals("Sales", one.get("displayName").asText());
        assertEquals(sandbox.baseUrl() + "/v1.0/$metadata#groups(displayName)/$entity", one.get("@odata.context").asText());
    }

    @Test
    void unknownOrMalformedGroupIdsAreErrors() throws Exception {
        HttpResponse<String> missing = get(token, "/v1.0/groups/00000000-0000-0000-0000-000000000001/transitiveMembers/microsoft.graph.user");
        assertEquals(404, missing.statusCode());
        assertEquals("Request_ResourceNotFound", JSON.readTree(missing.body()).at("/error/code").asText());
        HttpResponse<String> malformed = get(token, "/v1.0/groups/Sales");
        assertEquals(400, malformed.statusCode());
        assertEquals("Request_BadRequest", JSON.readTree(malformed.body()).at("/error/code").asText());
        HttpResponse<String> badCast = get(token, "/v1.0/groups/" + sandbox.group("Sales").id() + "/transitiveMembers/microsoft.graph.event");
        assertEquals(400, badCast.statusCode());
        assertEquals("Request_UnsupportedQuery", JSON.readTree(badCast.body()).at("/error/code").asText());
    }

    @Test
    void transitiveUserMembersArePagedAndFlat() throws Exception {
        SandboxGroup pilot = sandbox.group("Nexchange Pilot");
        Map<String, SandboxGroup> byId = sandbox.groups().stream().collect(Collectors.toMap(SandboxGroup::id, Function.identity()));
        Set<String> expectedIds = expectedUsers(pilot, byId, new HashSet<>()).stream().map(sandbox::userId).collect(Collectors.toSet());
        List<String> ids = new ArrayList<>();
        int pages = 0;
        String next = "/v1.0/groups/" + pilot.id() + "/transitiveMembers/microsoft.graph.user?$select=id,mail&$top=2";
        while (next != null) {
            JsonNode page = ok(get(token, next));
            pages++;
            assertTrue(page.get("value").size() <= 2);
            for (JsonNode u : page.get("value")) {
                assertEquals(List.of("id", "mail"), fieldNames(u), "a cast collection carries no @odata.type");
                ids.add(u.get("id").asText());
            }
            if (pages == 1) {
                assertEquals(sandbox.baseUrl() + "/v1.0/$metadata#users(id,mail)", page.get("@odata.context").asText());
            }
            next = page.hasNonNull("@odata.nextLink") ? page.get("@odata.nextLink").asText() : null;
        }
        assertEquals(expectedIds, new HashSet<>(ids));
        assertEquals(ids.size(), expectedIds.size(), "no duplicates across pages");
        assertEquals((expectedIds.size() + 1) / 2, pages);

        // without the cast: nested groups come too, each item names its type
        JsonNode all = ok(get(token, "/v1.0/groups/" + pilot.id() + "/transitiveMembers?$select=id,displayName"));
        Set<String> types = new TreeSet<>();
        all.get("value").forEach(n -> types.add(n.get("@odata.type").asText()));
        assertEquals(Set.of("#microsoft.graph.group", "#microsoft.graph.user"), types);
        assertEquals(expectedIds.size() + byIdCount(all, "#microsoft.graph.group"), all.get("value").size());
        // direct members: the nested groups, not their users
        JsonNode direct = ok(get(token, "/v1.0/groups/" + pilot.id() + "/members"));
        assertEquals(pilot.memberUpns().size() + pilot.memberGroupIds().size(), direct.get("value").size());

        HttpResponse<String> countWithoutHeader = get(token, "/v1.0/groups/" + pilot.id() + "/transitiveMembers/microsoft.graph.user?$count=true");
        assertEquals(400, countWithoutHeader.statusCode());
        JsonNode counted = ok(get(token, "/v1.0/groups/" + pilot.id() + "/transitiveMembers/microsoft.graph.user?$count=true",
                "ConsistencyLevel", "eventual"));
        assertEquals(expectedIds.size(), counted.get("@odata.count").asInt());
    }

    @Test
    void groupsNeedAGroupPermissionAndUsersWithoutUserReadComeLimited() throws Exception {
        AppRegistration usersOnly = sandbox.registerApp(AppRegistration.builder("users only").clientSecret("s-" + System.nanoTime())
                .roles(Set.of("Calendars.ReadWrite", "User.Read.All")).build());
        HttpResponse<String> denied = get(tokenOf(usersOnly), "/v1.0/groups?$filter=" + q("displayName eq 'Sales'"));
        assertEquals(403, denied.statusCode());
        assertEquals("Authorization_RequestDenied", JSON.readTree(denied.body()).at("/error/code").asText());

        AppRegistration groupsOnly = sandbox.registerApp(AppRegistration.builder("groups only").clientSecret("s-" + System.nanoTime())
                .roles(Set.of("GroupMember.Read.All")).build());
        SandboxGroup sales = sandbox.group("Sales");
        JsonNode limited = ok(get(tokenOf(groupsOnly), "/v1.0/groups/" + sales.id() + "/transitiveMembers/microsoft.graph.user?$select=id,mail"));
        assertEquals(sales.transitiveMemberUpns().size(), limited.get("value").size());
        for (JsonNode u : limited.get("value")) {
            assertEquals("#microsoft.graph.user", u.get("@odata.type").asText());
            assertFalse(u.get("id").asText().isEmpty());
            assertTrue(u.get("mail").isNull(), "no user permission: properties are null");
        }
    }

    @Test
    void adminApiListsGroupsAndChangesMembership() throws Exception {
        SandboxGroup engineering = sandbox.group("Engineering");
        String newcomer = sandbox.mailboxes().stream().filter(m -> !engineering.transitiveMemberUpns().contains(m)).findFirst().orElseThrow();
        HttpResponse<String> list = get(token, "/_sandbox/groups");
        assertEquals(200, list.statusCode());
        assertEquals(sandbox.groups().size(), JSON.readTree(list.body()).size());
        HttpResponse<String> added = http.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/_sandbox/groups/" + engineering.id()
                + "/members")).POST(HttpRequest.BodyPublishers.ofString("{\"member\":\"" + newcomer + "\"}"))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, added.statusCode(), added.body());
        // the SDK's spelling of the cast: the "graph" alias of the namespace
        JsonNode members = ok(get(token, "/v1.0/groups/" + engineering.id() + "/transitiveMembers/graph.user?$select=id"));
        Set<String> ids = new HashSet<>();
        members.get("value").forEach(n -> ids.add(n.get("id").asText()));
        assertTrue(ids.contains(sandbox.userId(newcomer)));
        sandbox.removeGroupMember(engineering.id(), newcomer);
        assertFalse(sandbox.group("Engineering").transitiveMemberUpns().contains(newcomer));
    }

    private static int byIdCount(JsonNode page, String type) {
        int n = 0;
        for (JsonNode v : page.get("value")) {
            n += v.get("@odata.type").asText().equals(type) ? 1 : 0;
        }
        return n;
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
