package io.nexchange.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.nexchange.testing.browser.HeadlessChromium;
import io.nexchange.testing.runtime.RuntimeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web console in a real browser (Debian's headless Chromium, driven over the DevTools protocol) against a running
 * {@code bin/nexchange demo --keep-running --backend ews} (EWS and Graph both running, three migration waves): the mailbox
 * table lists every mailbox of the sandbox tenant, a search and a state filter narrow it, a mailbox's page shows its
 * pairs, "Sync now" asks for confirmation, runs and is seen to finish, and is in the action log with who did it; the
 * migration view counts each wave's mailboxes per backend, switches a wave to Graph (confirmed, synced at once, 0 items
 * written, logged), the table filters by wave and backend, and a shadow read runs from a mailbox's page and shows in
 * {@code /status}; a conflict's lost version is shown and restored; a POST without the CSRF token is refused, and with a
 * login required the console asks for the operator token before anything. Screenshots go to target/console-screenshots/.
 */
class ConsoleBrowserIT {
    private static final int USERS = 12;
    private static final Path SCREENSHOTS = Path.of("target/console-screenshots");

    @TempDir
    Path directory;

    @Test
    void anOperatorFindsAMailboxSyncsItAndIsRefusedWithoutCsrfOrLogin() throws Exception {
        assertTrue(HeadlessChromium.installed(), "Chromium is missing at " + HeadlessChromium.executable()
                + ": apt-get install chromium (dev/test installs it)");
        int port = RuntimeProcess.freePort();
        int sandboxPort = RuntimeProcess.freePort();
        Process demo = new ProcessBuilder(RuntimeProcess.distribution().resolve("bin/nexchange").toString(), "demo", "--keep-running",
                "--users", Integer.toString(USERS), "--backend", "ews", "--port", Integer.toString(port), "--sandbox-port", Integer.toString(sandboxPort))
                .directory(directory.toFile()).redirectErrorStream(true).start();
        BlockingQueue<String> lines = DemoIT.follow(demo.getInputStream());
        StringBuilder output = new StringBuilder();
        try (HeadlessChromium browser = HeadlessChromium.start(1280, 900)) {
            String console = "http://127.0.0.1:" + port + "/";
            DemoIT.awaitLine(lines, output, "Press Ctrl-C to stop.", 240);
            assertTrue(output.toString().contains("Web console: " + console.substring(0, console.length() - 1) + "/"), output.toString());

            // the table: every mailbox of the tenant, all synced
            browser.navigate(console);
            assertEquals(USERS, browser.eval("document.querySelectorAll('#mailboxes tbody tr').length").asInt(), text(browser));
            assertEquals(USERS, browser.eval("document.querySelectorAll('#mailboxes .state-OK').length").asInt(), text(browser));
            browser.screenshot(SCREENSHOTS.resolve("01-mailboxes.png"), true);
            System.out.println("[figures] console page with " + USERS + " mailboxes: " + browser.timing());

            // search for one mailbox by part of its address, then filter by state
            String mailbox = browser.eval("document.querySelector('#mailboxes tbody tr').dataset.mailbox").asText();
            String part = mailbox.substring(0, mailbox.indexOf('@'));
            browser.andWaitForLoad(() -> browser.eval("document.getElementById('search').value = " + js(part)
                    + "; document.getElementById('apply-filters').click(); true"));
            JsonNode shown = browser.eval("[...document.querySelectorAll('#mailboxes tbody tr')].map(r => r.dataset.mailbox)");
            assertTrue(shown.size() >= 1 && shown.size() < USERS, shown.toString());
            shown.forEach(m -> assertTrue(m.asText().contains(part), shown.toString()));
            browser.andWaitForLoad(() -> browser.eval("document.getElementById('search').value = ''; "
                    + "document.getElementById('state-filter').value = 'OK'; document.getElementById('apply-filters').click(); true"));
            assertEquals(USERS, browser.eval("document.querySelectorAll('#mailboxes .state-OK').length").asInt());
            assertTrue(browser.eval("location.search").asText().contains("state=OK"));
            browser.navigate(console + "?state=FAILED");
            assertEquals(0, browser.eval("document.querySelectorAll('#mailboxes tbody tr').length").asInt());
            browser.navigate(console + "?state=OK&sort=mailbox&dir=desc&size=10");
            assertEquals(10, browser.eval("document.querySelectorAll('#mailboxes tbody tr').length").asInt());
            assertTrue(browser.eval("document.getElementById('shown').textContent").asText().startsWith("1–10 of " + USERS));
            assertTrue(browser.eval("!!document.querySelector('a[rel=next]')").asBoolean(), "a next page");

            // open the mailbox: its pairs
            browser.navigate(console + "?q=" + part);
            browser.andWaitForLoad(() -> browser.eval("document.querySelector('#mailboxes tbody a').click(); true"));
            assertEquals(mailbox, browser.eval("document.getElementById('mailbox').dataset.mailbox").asText());
            assertTrue(browser.eval("document.querySelectorAll('#pairs tbody tr').length").asInt() >= 2, text(browser));
            String lastRunBefore = browser.eval("document.querySelector('#last-run time').getAttribute('datetime')").asText();

            // sync it now: a confirmation page, then the run, seen to finish
            Thread.sleep(1100); // the last run's time is shown to the second
            browser.andWaitForLoad(() -> browser.eval("document.querySelector('.actions form button').click(); true"));
            assertTrue(browser.eval("document.getElementById('confirm').innerText").asText().contains("Sync " + mailbox + " now?"));
            browser.screenshot(SCREENSHOTS.resolve("02-confirm.png"), false);
            browser.andWaitForLoad(() -> browser.eval("document.getElementById('confirm-button').click(); true"));
            browser.await("document.getElementById('mailbox') && document.getElementById('mailbox').dataset.running === 'false' "
                    + "&& document.querySelector('#mailbox-state .state-OK') && document.getElementById('notice')", Duration.ofSeconds(60));
            String lastRunAfter = browser.eval("document.querySelector('#last-run time').getAttribute('datetime')").asText();
            assertTrue(lastRunAfter.compareTo(lastRunBefore) > 0, lastRunBefore + " -> " + lastRunAfter);
            assertTrue(browser.eval("document.getElementById('notice').innerText").asText().matches(
                    "(Synced by local operator.*: OK, \\d+ changes read, 0 written\\.|The sync has finished: OK\\.)"), text(browser));
            browser.screenshot(SCREENSHOTS.resolve("03-mailbox-synced.png"), true);
            browser.navigate(console + "audit");
            String audit = browser.eval("document.getElementById('audit').innerText").asText();
            assertTrue(audit.contains("local operator (loopback 127.0.0.1)") && audit.contains("sync now") && audit.contains(mailbox)
                    && audit.contains("OK"), audit);
            Path log = directory.resolve("nexchange-demo/log/nexchange.log");
            assertTrue(Files.readString(log).contains("Console action by local operator (loopback 127.0.0.1): sync now (" + mailbox + ")"));

            migrateWaveOne(browser, console, mailbox);
            restoreAConflict(browser, console, mailbox, sandboxPort);

            // the same action without the session's CSRF token (as another site would post it): refused
            int forgedSwitch = browser.eval("fetch('/actions/switch', {method: 'POST', headers: {'Content-Type': "
                    + "'application/x-www-form-urlencoded'}, body: 'confirm=yes&selector=--all&backend=graph'}).then(r => r.status)").asInt();
            assertEquals(403, forgedSwitch);
            int forged = browser.eval("fetch('/actions/sync', {method: 'POST', headers: {'Content-Type': "
                    + "'application/x-www-form-urlencoded'}, body: 'confirm=yes&mailbox=" + mailbox + "'}).then(r => r.status)").asInt();
            assertEquals(403, forged);

            // a login required (as on any address but loopback): the console asks for the operator token first
            Path cfg = directory.resolve("nexchange-demo/etc/io.nexchange.ops.http.cfg");
            Files.writeString(cfg, Files.readString(cfg) + "\nrequireLogin = true\n");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                browser.navigate(console);
                if (browser.eval("location.pathname").asText().equals("/login")) {
                    break;
                }
                Thread.sleep(300);
            }
            assertEquals("/login", browser.eval("location.pathname").asText(), text(browser));
            int withoutLogin = browser.eval("fetch('/actions/sync', {method: 'POST', headers: {'Content-Type': "
                    + "'application/x-www-form-urlencoded'}, body: 'confirm=yes&mailbox=" + mailbox + "'}).then(r => r.status)").asInt();
            assertEquals(401, withoutLogin, "an action without a login");
            browser.screenshot(SCREENSHOTS.resolve("04-login.png"), false);
            String token = Files.readString(directory.resolve("nexchange-demo/data/ops.token")).strip();
            browser.andWaitForLoad(() -> browser.eval("document.querySelector('input[name=operator]').value = 'alice'; "
                    + "document.querySelector('input[name=token]').value = " + js(token) + "; "
                    + "document.querySelector('.login form').submit(); true"));
            assertEquals("/", browser.eval("location.pathname").asText());
            assertTrue(browser.eval("document.querySelector('header .who').textContent").asText().startsWith("alice (token login"));
            assertEquals(USERS, browser.eval("document.querySelectorAll('#mailboxes tbody tr').length").asInt());
            assertFalse(browser.eval("document.documentElement.outerHTML").asText().contains(token), "the token is never rendered");
        } finally {
            demo.destroy();
            if (!demo.waitFor(60, TimeUnit.SECONDS)) {
                demo.destroyForcibly().waitFor();
            }
        }
    }

    /**
     * The migration view: every mailbox in one of the demo's three waves, all through EWS; wave 1 switched to Graph and
     * synced at once (0 written: both backends render the same items), seen in the table's wave and backend filters and
     * in the action log; a shadow read of one of its mailboxes from its page, in the page and in {@code /status}.
     */
    private static void migrateWaveOne(HeadlessChromium browser, String console, String someMailbox) throws Exception {
        browser.navigate(console + "migration");
        JsonNode waves = browser.eval("[...document.querySelectorAll('#waves tbody tr')].map(r => ({wave: r.dataset.wave, "
                + "count: +r.cells[2].innerText, ews: +r.querySelector('[data-backend=ews]').innerText, "
                + "graph: +r.querySelector('[data-backend=graph]').innerText}))");
        assertEquals(3, waves.size(), waves.toString());
        int inWaves = 0;
        for (JsonNode w : waves) {
            inWaves += w.get("count").asInt();
            assertEquals(w.get("count").asInt(), w.get("ews").asInt(), "every mailbox through EWS before the switch: " + waves);
        }
        assertEquals(USERS, inWaves, "every mailbox in a wave: " + waves);
        JsonNode wave = null;
        for (JsonNode w : waves) {
            if (w.get("count").asInt() > 0) {
                wave = w;
                break;
            }
        }
        String name = wave.get("wave").asText();
        int members = wave.get("count").asInt();
        long switchStarted = System.nanoTime();
        browser.andWaitForLoad(() -> browser.eval("[...document.querySelectorAll('#waves tr[data-wave=\"" + name + "\"] form')]"
                + ".find(f => f.querySelector('input[name=backend]').value === 'graph').querySelector('button').click(); true"));
        String question = browser.eval("document.getElementById('confirm').innerText").asText();
        assertTrue(question.contains("Switch --wave " + name + " to graph?") && question.contains(members + " mailbox(es) the engine "
                + "knows match, " + members + " of them now read through another backend"), question);
        browser.andWaitForLoad(() -> browser.eval("document.getElementById('confirm-and-sync').click(); true"));
        assertEquals("/migration", browser.eval("location.pathname").asText());
        assertTrue(browser.eval("document.getElementById('notice').innerText").asText().startsWith("Switched --wave " + name
                + " to graph by local operator"), text(browser));
        // the wave's mailboxes synced through Graph, found by the table's wave and backend filters
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int switched = 0;
        while (System.nanoTime() < deadline) {
            browser.navigate(console + "?wave=" + name + "&backend=graph&state=OK");
            switched = browser.eval("document.querySelectorAll('#mailboxes tbody tr').length").asInt();
            if (switched == members) {
                break;
            }
            Thread.sleep(500);
        }
        assertEquals(members, switched, text(browser));
        System.out.printf("[figures] console: wave %s (%d mailboxes) switched to Graph and synced in %.1f s%n", name, members,
                (System.nanoTime() - switchStarted) / 1e9);
        browser.navigate(console + "?backend=ews");
        assertEquals(USERS - members, browser.eval("document.querySelectorAll('#mailboxes tbody tr').length").asInt());
        browser.navigate(console + "audit");
        browser.await("document.getElementById('audit').innerText.includes('synced: {OK')", Duration.ofSeconds(30));
        String audit = browser.eval("document.getElementById('audit').innerText").asText();
        assertTrue(audit.contains("switch to graph") && audit.contains("--wave " + name) && audit.contains(members
                + " mailbox(es) taken in, " + members + " change backend; synced: {OK (graph, 0 written)=" + members + "}"), audit);

        // a shadow read of one of the wave's mailboxes, from its page: Graph vs EWS, the same
        browser.navigate(console + "?wave=" + name);
        String mailbox = browser.eval("document.querySelector('#mailboxes tbody tr').dataset.mailbox").asText();
        browser.navigate(console + "mailboxes/" + mailbox);
        assertEquals("graph", browser.eval("document.getElementById('next-backend').innerText").asText());
        browser.andWaitForLoad(() -> browser.eval("[...document.querySelectorAll('#migration ~ .actions form')].find(f => "
                + "f.action.endsWith('/actions/shadow')).querySelector('button').click(); true"));
        assertTrue(browser.eval("document.getElementById('confirm').innerText").asText().contains("Shadow-read " + mailbox + "?"));
        browser.andWaitForLoad(() -> browser.eval("document.getElementById('confirm-button').click(); true"));
        String notice = browser.eval("document.getElementById('notice').innerText").asText();
        assertTrue(notice.startsWith("Shadow read by local operator") && notice.contains("graph vs ews, the same"), notice);
        String report = browser.eval("document.getElementById('shadow-report').innerText").asText();
        assertTrue(report.startsWith(mailbox + ": graph vs ews, the same, calendar "), report);
        System.out.println("[figures] console shadow read: " + report.strip());
        String status = browser.eval("fetch('/status').then(r => r.text())").asText();
        JsonNode shadow = new com.fasterxml.jackson.databind.ObjectMapper().readTree(status).path("shadow").path("mailboxes").path(mailbox);
        assertEquals(0, shadow.path("differences").asInt(-2), status);
        assertEquals("graph", shadow.path("primary").asText(), status);

        browser.navigate(console + "migration");
        assertEquals(members, browser.eval("+document.querySelector('#waves tr[data-wave=\"" + name + "\"] [data-backend=graph]')"
                + ".innerText").asInt());
        assertTrue(browser.eval("document.getElementById('switches').innerText").asText().contains("--wave " + name));
        assertTrue(browser.eval("document.getElementById('shadow-reads').innerText").asText().contains(mailbox));
        browser.screenshot(SCREENSHOTS.resolve("06-migration.png"), true);
        browser.navigate(console + "mailboxes/" + someMailbox);
    }

    /**
     * A contact edited in Nextcloud (its vdir file) and in Exchange (the sandbox) before one sync: a conflict, Exchange
     * wins (the demo syncs two-way, the engine's default, with the policy exchange-wins); the mailbox's page shows it with
     * the lost version, and "Restore the lost version" (confirmed) writes the Nextcloud edit back, logged with who did it.
     */
    private void restoreAConflict(HeadlessChromium browser, String console, String mailbox, int sandboxPort) throws Exception {
        Path base = directory.resolve("nexchange-demo");
        Path contact = DemoIT.files(base.resolve("vdir").resolve(mailbox.substring(0, mailbox.indexOf('@'))), ".vcf").get(0);
        String original = Files.readString(contact);
        String uid = original.lines().filter(l -> l.startsWith("UID:")).findFirst().orElseThrow().substring(4).strip();
        Path edited = contact.resolveSibling(".edit.tmp");
        Files.writeString(edited, original.replace("END:VCARD", "NOTE:edited in Nextcloud\r\nEND:VCARD"));
        Files.move(edited, contact, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        java.net.http.HttpResponse<String> patched = DemoIT.sandboxClient(base.resolve("data/sandbox")).send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("https://127.0.0.1:" + sandboxPort + "/_sandbox/mailboxes/"
                        + mailbox + "/contacts/" + java.net.URLEncoder.encode(uid, java.nio.charset.StandardCharsets.UTF_8)))
                        .header("Content-Type", "application/json")
                        .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("{\"jobTitle\":\"Edited in Outlook\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, patched.statusCode(), patched.body());

        browser.navigate(console + "mailboxes/" + mailbox);
        browser.andWaitForLoad(() -> browser.eval("document.querySelector('.actions form button').click(); true"));
        browser.andWaitForLoad(() -> browser.eval("document.getElementById('confirm-button').click(); true"));
        browser.await("document.getElementById('mailbox') && document.getElementById('mailbox').dataset.running === 'false' "
                + "&& document.querySelector('#conflicts tbody tr')", Duration.ofSeconds(60));
        assertTrue(Files.readString(contact).contains("Edited in Outlook"), "Exchange won");
        assertFalse(Files.readString(contact).contains("edited in Nextcloud"));
        String row = browser.eval("document.querySelector('#conflicts tbody tr').innerText").asText();
        assertTrue(row.contains("Exchange") && row.contains("exchange-wins") && row.contains("contacts"), row);
        browser.eval("document.querySelector('#conflicts details').open = true; true");
        assertTrue(browser.eval("document.querySelector('#conflicts details pre').textContent").asText().contains("NOTE:edited in Nextcloud"),
                "the lost version is shown");
        browser.screenshot(SCREENSHOTS.resolve("05-conflict.png"), true);

        browser.andWaitForLoad(() -> browser.eval("document.querySelector('#conflicts form button').click(); true"));
        String confirm = browser.eval("document.getElementById('confirm').innerText").asText();
        assertTrue(confirm.contains("Restore the Nextcloud version of") && confirm.contains("NOTE:edited in Nextcloud"), confirm);
        browser.andWaitForLoad(() -> browser.eval("document.getElementById('confirm-button').click(); true"));
        browser.await("document.getElementById('mailbox') && document.getElementById('mailbox').dataset.running === 'false' "
                + "&& document.querySelector('#conflicts tbody tr') && document.querySelector('#conflicts tbody tr').innerText"
                + ".includes('restored')", Duration.ofSeconds(60));
        assertTrue(Files.readString(contact).contains("NOTE:edited in Nextcloud"), "the Nextcloud version is back");
        assertTrue(browser.eval("document.querySelector('#conflicts tbody tr').innerText").asText()
                .contains("asked by local operator (loopback 127.0.0.1)"));
        assertTrue(Files.readString(base.resolve("log/nexchange.log")).contains("Console action by local operator (loopback 127.0.0.1): "
                + "restore conflict"));
    }

    private static String text(HeadlessChromium browser) {
        return browser.eval("document.body ? document.body.innerText.slice(0, 3000) : ''").asText();
    }

    private static String js(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
