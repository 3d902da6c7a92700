package io.nexchange.auth.entra.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.auth.AuthException;
import io.nexchange.api.auth.AuthProblem;
import io.nexchange.api.auth.TokenProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration parsing: names, clouds, secret sources, and what an incomplete configuration says. */
class SettingsTest {
    @org.junit.jupiter.api.AfterAll
    static void noSecretLeaked() throws Exception {
        SandboxFixture.assertNoLeak();
    }
    private static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private static final String CLIENT = "3c9a3f4e-1b2d-4c5e-8f90-1234567890ab";

    private static Map<String, Object> base() {
        Map<String, Object> p = new HashMap<>();
        p.put("tenantId", TENANT);
        p.put("clientId", CLIENT);
        p.put("clientSecretEnv", "SECRET_VAR");
        return p;
    }

    private static RegistrationSettings parse(Map<String, Object> p) throws AuthException {
        return RegistrationSettings.parse(SandboxFixture.entra(p), SandboxFixture.undeclared(p),
                name -> name.equals("SECRET_VAR") ? SandboxFixture.newSecret() : null);
    }

    @Test
    void theRegistrationIsNamedAfterTheFactoryConfiguration() {
        assertEquals("contoso", RegistrationSettings.registrationName("", SandboxFixture.undeclared(
                Map.of("service.pid", "io.nexchange.auth.entra~contoso"))));
        assertEquals("fabrikam", RegistrationSettings.registrationName(null, SandboxFixture.undeclared(
                Map.of("felix.fileinstall.filename", "file:/opt/nexchange/etc/io.nexchange.auth.entra-fabrikam.cfg"))));
        assertEquals("explicit", RegistrationSettings.registrationName("explicit", SandboxFixture.undeclared(
                Map.of("service.pid", "io.nexchange.auth.entra~contoso"))));
    }

    @Test
    void cloudsGiveAuthorityGraphAndScopes() throws Exception {
        RegistrationSettings global = parse(base());
        assertEquals("https://login.microsoftonline.com/" + TENANT + "/", global.authority());
        assertEquals("https://graph.microsoft.com", global.graphBaseUrl());
        assertEquals(List.of(TokenProvider.GRAPH_SCOPE), global.scopes());
        Map<String, Object> gov = base();
        gov.put("cloud", "USGov");
        RegistrationSettings us = parse(gov);
        assertEquals("https://login.microsoftonline.us/" + TENANT + "/", us.authority());
        assertEquals("https://graph.microsoft.us/.default", us.cloud().translateScope(TokenProvider.GRAPH_SCOPE));
        assertEquals("https://outlook.office365.us/.default", us.cloud().translateScope(TokenProvider.EWS_SCOPE));
        Map<String, Object> china = base();
        china.put("cloud", "china");
        china.put("scopes", "https://graph.microsoft.com/.default, https://outlook.office365.com/.default");
        RegistrationSettings cn = parse(china);
        assertEquals("https://microsoftgraph.chinacloudapi.cn", cn.graphBaseUrl());
        assertEquals(2, cn.scopes().size());
    }

    @Test
    void everyMissingOrWrongKeyIsNamedAtOnce() {
        Map<String, Object> p = new HashMap<>();
        p.put("clientId", "my-sync-app");
        p.put("cloud", "mars");
        p.put("scopes", "https://graph.microsoft.com/Calendars.ReadWrite");
        AuthException e = assertThrows(AuthException.class, () -> parse(p));
        assertEquals(AuthProblem.CONFIGURATION_INVALID, e.problem());
        for (String expected : List.of("tenantId is not set", "clientId 'my-sync-app' is not a GUID", "no credential",
                "cloud 'mars'", "must end with /.default", "Fix: complete the app registration's configuration file")) {
            assertTrue(e.getMessage().contains(expected), expected + " in " + e.getMessage());
        }
    }

    @Test
    void secretSourcesAreExclusiveAndNamedButNeverQuoted(@TempDir Path dir) throws Exception {
        String secret = SandboxFixture.newSecret();
        Map<String, Object> two = base();
        two.put(".clientSecret", secret);
        AuthException both = assertThrows(AuthException.class, () -> parse(two));
        assertTrue(both.getMessage().contains("set only one of .clientSecret, clientSecretFile and clientSecretEnv"), both.getMessage());
        assertFalse(both.getMessage().contains(secret));
        SandboxFixture.OUTPUTS.add(both.getMessage());

        Map<String, Object> missingFile = base();
        missingFile.remove("clientSecretEnv");
        missingFile.put("clientSecretFile", dir.resolve("nope").toString());
        AuthException file = assertThrows(AuthException.class, () -> parse(missingFile));
        assertTrue(file.getMessage().contains("clientSecretFile " + dir.resolve("nope") + " cannot be read"), file.getMessage());

        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        missingFile.put("clientSecretFile", empty.toString());
        assertTrue(assertThrows(AuthException.class, () -> parse(missingFile)).getMessage().contains("is empty"));

        Map<String, Object> inlinePlain = base();
        inlinePlain.remove("clientSecretEnv");
        inlinePlain.put("clientSecret", secret);
        assertEquals(secret, parse(inlinePlain).clientSecret().orElseThrow().reveal(), "a plain key works too");
        assertTrue(ConfigDump.redacted(SandboxFixture.entra(inlinePlain), SandboxFixture.undeclared(inlinePlain))
                .contains("clientSecret = ********"));
        assertFalse(parse(inlinePlain).toString().contains(secret));
    }

    @Test
    void ewsOnPremAccount(@TempDir Path dir) throws Exception {
        String password = SandboxFixture.newSecret();
        Path file = Files.writeString(dir.resolve("pw"), password + "\n");
        Map<String, Object> p = new HashMap<>();
        p.put("service.pid", "io.nexchange.auth.ews.onprem~hq");
        p.put("ewsUrl", "https://mail.example.com/EWS/Exchange.asmx");
        p.put("username", "svc-nexchange@example.com");
        p.put("passwordFile", file.toString());
        EwsOnPremAccount account = EwsOnPremAccount.parse(TypedConfig.of(EwsOnPremConfiguration.class, p), SandboxFixture.undeclared(p), n -> null);
        assertEquals("hq", account.name());
        assertEquals(password, account.password().reveal());
        assertFalse(account.toString().contains(password));
        SandboxFixture.OUTPUTS.add(AuthCheckCommand.report(List.of(), List.of(account), null));
        SandboxFixture.OUTPUTS.add(ConfigDump.redacted(Map.of(".password", password, "username", "svc")));

        p.put("ewsUrl", "http://mail.example.com/EWS/Exchange.asmx");
        p.remove("passwordFile");
        p.put(".password", password);
        p.put("passwordEnv", "EWS_PW");
        AuthException e = assertThrows(AuthException.class, () -> EwsOnPremAccount.parse(TypedConfig.of(EwsOnPremConfiguration.class, p), SandboxFixture.undeclared(p), n -> null));
        assertTrue(e.getMessage().contains("ewsUrl must use https"), e.getMessage());
        assertTrue(e.getMessage().contains("set only one of .password"), e.getMessage());
        assertFalse(e.getMessage().contains(password));
        SandboxFixture.OUTPUTS.add(e.getMessage());
    }
}
