package io.nexchange.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * {@code nexchange demo --two-way}: after the first cycle, one event of the vdir (or, with {@code --nextcloud}, of an
 * account's default calendar in Nextcloud, by CalDAV) is edited as a Nextcloud client edits it (its SUMMARY), the demo syncs, and reads the event back from the sandbox's Graph with the demo's own app
 * registration (client credentials, then {@code GET /users/{upn}/calendar/events}), so that the output shows the edit
 * arriving in Exchange. The launcher has no JSON library: the few fields it reads come out of flat JSON objects.
 */
final class DemoTwoWay {
    private static final Pattern FLAT_OBJECT = Pattern.compile("\\{[^{}]*\\}");
    private static final String EDITED = "Edited in Nextcloud by the demo at ";

    private final Path base;
    /** The Nextcloud DAV root given with {@code --nextcloud}, or null for the vdir. */
    private final String nextcloud;
    private final Path appPasswords;

    DemoTwoWay(Path base, String nextcloud, Path appPasswords) {
        this.base = base;
        this.nextcloud = nextcloud;
        this.appPasswords = appPasswords;
    }

    /** One event picked to be edited: the account it belongs to, where it is, its text. */
    private record Picked(String user, String where, String text, Editor editor) {}

    /** Writes the edited text back where the event was read from. */
    private interface Editor {
        void write(String text) throws IOException, InterruptedException;
    }

    /** @return whether the edit arrived in the sandbox's Graph */
    boolean showAnEditMadeInNextcloud() throws IOException, InterruptedException {
        Optional<Picked> picked = nextcloud == null ? pickInVdir(base.resolve("vdir")) : pickInNextcloud();
        if (picked.isEmpty()) {
            System.out.println("  ! Two-way: no single event of a mailbox's own without attendees in "
                    + (nextcloud == null ? base.resolve("vdir").toString() : nextcloud) + " to edit");
            return false;
        }
        String text = picked.get().text();
        String uid = property(unfold(text), "UID");
        String user = picked.get().user();
        String summary = EDITED + LocalTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        picked.get().editor().write(withSummary(text, summary));
        System.out.println();
        System.out.println("Two-way: an edit made in Nextcloud: " + picked.get().where() + " now has SUMMARY '" + summary + "'");
        Main.Answer sync = Main.call(base, "POST", "/console", "nexchange:sync --all");
        sync.body().lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith(user.toLowerCase(java.util.Locale.ROOT) + "@"))
                .findFirst().ifPresent(l -> System.out.println("  nexchange:sync --all: " + l.trim()));
        Graph graph = Graph.of(base);
        String upn = graph.userWithLocalPart(user);
        Optional<String> subject = graph.subjectOfEvent(upn, uid);
        System.out.println("  read back from the sandbox's Graph (GET /v1.0/users/" + upn + "/calendar/events, iCalUId " + uid
                + "): subject '" + subject.orElse("(no such event)") + "'");
        boolean arrived = subject.isPresent() && subject.get().equals(summary);
        System.out.println(arrived ? "  the edit made in Nextcloud arrived in Exchange"
                : "  ! the edit made in Nextcloud did not arrive in Exchange; see " + base.resolve("log/nexchange.log"));
        return arrived;
    }

    /**
     * Whether the demo may edit this event: the mailbox's own (no organizer, or the mailbox itself), single, without
     * attendees (editing it sends nobody anything; a meeting organised elsewhere is not the mailbox's to change, the
     * engine quarantines such an edit), and not one an earlier demo run edited: the sandbox regenerates its tenant from
     * the seed at every start, so there that event is back to its original while Nextcloud keeps the edit, and a second
     * edit would be a conflict (Exchange wins, the edit kept in nexchange:conflicts) instead of an edit arriving.
     */
    private static boolean editable(String user, String unfolded) {
        String organizer = property(unfolded, "ORGANIZER").toLowerCase(java.util.Locale.ROOT);
        boolean own = organizer.isEmpty() || organizer.startsWith("mailto:" + user.toLowerCase(java.util.Locale.ROOT) + "@");
        return own && !unfolded.contains("\nRRULE:") && !unfolded.contains("\nRECURRENCE-ID") && !unfolded.contains("\nATTENDEE")
                && unfolded.contains("\nSUMMARY") && !property(unfolded, "SUMMARY").startsWith(EDITED);
    }

    /** The first editable event (by path) of the vdir, written back as a file replaced atomically. */
    private static Optional<Picked> pickInVdir(Path vdir) throws IOException {
        if (!Files.isDirectory(vdir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.walk(vdir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".ics")).sorted()
                    .filter(f -> editable(vdir.relativize(f).getName(0).toString(), unfold(read(f)))).findFirst()
                    .map(file -> new Picked(vdir.relativize(file).getName(0).toString(), vdir.relativize(file).toString(), read(file),
                            text -> {
                                Path edited = file.resolveSibling(file.getFileName() + ".demo-edit");
                                Files.writeString(edited, text, StandardCharsets.UTF_8);
                                Files.move(edited, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                            }));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * The first editable event the connector wrote into an account's default calendar in Nextcloud (users in the order of
     * the app-password files), written back with a PUT conditional on its ETag, as a CalDAV client edits. Nextcloud's own
     * example event is no candidate: it is kept out of Exchange.
     */
    private Optional<Picked> pickInNextcloud() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String root = nextcloud.endsWith("/") ? nextcloud : nextcloud + "/";
        List<Path> users;
        try (Stream<Path> files = Files.list(appPasswords)) {
            users = files.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path passwordFile : users) {
            String user = passwordFile.getFileName().toString();
            String auth = "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + Files.readString(passwordFile).strip())
                    .getBytes(StandardCharsets.UTF_8));
            URI calendar = URI.create(root).resolve("calendars/" + enc(user) + "/personal/");
            HttpResponse<String> listing = http.send(HttpRequest.newBuilder(calendar).header("Authorization", auth).header("Depth", "1")
                    .header("Content-Type", "application/xml; charset=utf-8").method("REPORT", HttpRequest.BodyPublishers.ofString(
                            "<c:calendar-query xmlns:d=\"DAV:\" xmlns:c=\"urn:ietf:params:xml:ns:caldav\"><d:prop><d:getetag/>"
                            + "<c:calendar-data/></d:prop><c:filter><c:comp-filter name=\"VCALENDAR\"><c:comp-filter name=\"VEVENT\"/>"
                            + "</c:comp-filter></c:filter></c:calendar-query>")).build(), HttpResponse.BodyHandlers.ofString());
            if (listing.statusCode() != 207) {
                continue;
            }
            Matcher response = RESPONSE.matcher(listing.body());
            while (response.find()) {
                String href = xmlText(response.group(1), "href");
                String etag = xmlText(response.group(1), "getetag");
                String text = xmlText(response.group(1), "calendar-data");
                if (href.isEmpty() || etag.isEmpty() || !text.contains("PRODID:-//Nexchange//") || !editable(user, unfold(text))) {
                    continue;
                }
                URI item = calendar.resolve(href);
                return Optional.of(new Picked(user, item.toString(), text, edited -> {
                    HttpResponse<String> put = http.send(HttpRequest.newBuilder(item).header("Authorization", auth)
                            .header("If-Match", etag).header("Content-Type", "text/calendar; charset=utf-8")
                            .PUT(HttpRequest.BodyPublishers.ofString(edited)).build(), HttpResponse.BodyHandlers.ofString());
                    if (put.statusCode() / 100 != 2) {
                        throw new IOException("Nextcloud answered " + put.statusCode() + " to the demo's PUT of " + item);
                    }
                }));
            }
        }
        return Optional.empty();
    }

    private static final Pattern RESPONSE = Pattern.compile("<[a-z]+:response>(.*?)</[a-z]+:response>", Pattern.DOTALL);

    /** The text of the first element of that local name (any prefix), XML entities decoded. */
    private static String xmlText(String xml, String localName) {
        Matcher m = Pattern.compile("<[a-zA-Z0-9]+:" + localName + "(?:\\s[^>]*)?>(.*?)</[a-zA-Z0-9]+:" + localName + ">", Pattern.DOTALL)
                .matcher(xml);
        return m.find() ? m.group(1).replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&#13;", "\r")
                .replace("&#xD;", "\r").replace("&amp;", "&").strip() : "";
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String unfold(String text) {
        return text.replace("\r\n", "\n").replace("\n ", "").replace("\n\t", "");
    }

    private static String property(String unfolded, String name) {
        for (String line : unfolded.split("\n")) {
            if (line.startsWith(name + ":") || line.startsWith(name + ";")) {
                return line.substring(line.indexOf(':') + 1);
            }
        }
        return "";
    }

    /** The text with the first SUMMARY (the event's; folded continuations dropped) replaced. */
    static String withSummary(String text, String summary) {
        String eol = text.contains("\r\n") ? "\r\n" : "\n";
        StringBuilder out = new StringBuilder();
        boolean replacing = false;
        boolean done = false;
        for (String line : text.split("\r?\n", -1)) {
            if (replacing && (line.startsWith(" ") || line.startsWith("\t"))) {
                continue;
            }
            replacing = false;
            if (!done && (line.startsWith("SUMMARY:") || line.startsWith("SUMMARY;"))) {
                line = "SUMMARY:" + summary;
                replacing = true;
                done = true;
            }
            out.append(line).append(eol);
        }
        return out.substring(0, out.length() - eol.length());
    }

    /** The sandbox's Graph with the demo's app registration (the settings the runtime itself uses). */
    private record Graph(HttpClient http, String graphBase, String token) {
        static Graph of(Path base) throws IOException, InterruptedException {
            Properties app = RuntimeHome.readCfg(base.resolve("etc/io.nexchange.auth.entra-sandbox.cfg"));
            String home = base.toString();
            HttpClient http = HttpClient.newBuilder().sslContext(trusting(Path.of(app.getProperty("truststore").strip()
                    .replace("${nexchange.base}", home)), Path.of(app.getProperty("truststorePasswordFile").strip()
                    .replace("${nexchange.base}", home)))).connectTimeout(Duration.ofSeconds(10)).build();
            String secret = Files.readString(Path.of(app.getProperty("clientSecretFile").strip().replace("${nexchange.base}", home)))
                    .strip();
            String form = "grant_type=client_credentials&client_id=" + enc(app.getProperty("clientId").strip()) + "&client_secret="
                    + enc(secret) + "&scope=" + enc("https://graph.microsoft.com/.default");
            String authority = app.getProperty("authority").strip();
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(authority + (authority.endsWith("/") ? "" : "/")
                    + "oauth2/v2.0/token")).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            Matcher token = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(answer.body());
            if (answer.statusCode() != 200 || !token.find()) {
                throw new IOException("the sandbox's token endpoint answered " + answer.statusCode());
            }
            return new Graph(http, app.getProperty("graphBaseUrl").strip(), token.group(1));
        }

        String userWithLocalPart(String localPart) throws IOException, InterruptedException {
            for (String object : objects("/v1.0/users?$select=userPrincipalName&$top=999")) {
                String upn = field(object, "userPrincipalName");
                if (upn.toLowerCase(java.util.Locale.ROOT).startsWith(localPart.toLowerCase(java.util.Locale.ROOT) + "@")) {
                    return upn;
                }
            }
            throw new IOException("no user " + localPart + "@... in the sandbox tenant");
        }

        Optional<String> subjectOfEvent(String upn, String iCalUId) throws IOException, InterruptedException {
            for (String object : objects("/v1.0/users/" + enc(upn) + "/calendar/events?$select=iCalUId,subject&$top=200")) {
                if (iCalUId.equals(field(object, "iCalUId"))) {
                    return Optional.of(field(object, "subject"));
                }
            }
            return Optional.empty();
        }

        /** The flat objects of every page of a collection. */
        private List<String> objects(String pathAndQuery) throws IOException, InterruptedException {
            List<String> out = new java.util.ArrayList<>();
            String next = graphBase + pathAndQuery;
            while (next != null) {
                HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(next)).header("Authorization", "Bearer " + token)
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                if (page.statusCode() != 200) {
                    throw new IOException("the sandbox's Graph answered " + page.statusCode() + " to GET " + next);
                }
                String body = page.body();
                int values = body.indexOf("\"value\"");
                Matcher m = FLAT_OBJECT.matcher(body);
                while (m.find()) {
                    if (m.start() > values) {
                        out.add(m.group());
                    }
                }
                String link = field(body.substring(0, values < 0 ? body.length() : values) + body.substring(body.lastIndexOf(']') + 1),
                        "@odata.nextLink");
                next = link.isEmpty() ? null : link;
            }
            return out;
        }

        private static String field(String json, String name) {
            Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
            return m.find() ? m.group(1).replace("\\\"", "\"").replace("\\/", "/").replace("\\\\", "\\") : "";
        }

        private static SSLContext trusting(Path truststore, Path passwordFile) throws IOException {
            try (InputStream in = Files.newInputStream(truststore)) {
                char[] password = Files.readString(passwordFile).strip().toCharArray();
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(in, password);
                TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(store);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, trust.getTrustManagers(), null);
                return context;
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot read the sandbox's truststore " + truststore + ": " + e.getMessage(), e);
            }
        }
    }
}
