package io.nexchange.nextcloud.internal;

import io.nexchange.api.Account;
import io.nexchange.api.Mailbox;
import io.nexchange.api.auth.Secret;
import io.nexchange.api.item.ItemContent;
import io.nexchange.api.source.Owner;
import io.nexchange.nextcloud.credentials.DavCredentials;
import io.nexchange.nextcloud.credentials.DavLogin;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Items and owners for the DAV tests. */
final class DavFixtures {
    private DavFixtures() {}

    /** A listing with content, as the engine gets it: the items listed without content fetched (one multiget). */
    static java.util.List<io.nexchange.api.source.Change> withContent(io.nexchange.api.source.ItemSource source,
            java.util.List<io.nexchange.api.source.Change> listed) throws io.nexchange.api.source.StoreException {
        java.util.List<String> refs = listed.stream().filter(c -> !c.isRemoval() && c.item().isEmpty())
                .map(io.nexchange.api.source.Change::ref).toList();
        Map<String, io.nexchange.api.source.Change> fetched = new java.util.HashMap<>();
        if (!refs.isEmpty()) {
            source.fetch(refs).forEach(c -> fetched.put(c.ref(), c));
        }
        return listed.stream().map(c -> fetched.getOrDefault(c.ref(), c)).toList();
    }

    static Owner owner(String user) {
        return new Owner(new Mailbox(user + "-id", user + "@example.org", user), new Account(user, user + "@example.org", user));
    }

    static String eventText(String uid, String summary) {
        return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Nexchange//Test//EN\r\nBEGIN:VEVENT\r\nUID:" + uid + "\r\n"
                + "DTSTAMP:20250101T000000Z\r\nDTSTART:20250102T100000Z\r\nDTEND:20250102T110000Z\r\nSUMMARY:" + summary + "\r\n"
                + "BEGIN:VALARM\r\nUID:alarm-of-" + uid + "\r\nACTION:DISPLAY\r\nDESCRIPTION:x\r\nTRIGGER:-PT5M\r\nEND:VALARM\r\n"
                + "END:VEVENT\r\nEND:VCALENDAR\r\n";
    }

    static ItemContent event(String uid, String summary) {
        return new ItemContent("text/calendar", eventText(uid, summary));
    }

    static ItemContent vcard(String uid, String name) {
        return new ItemContent("text/vcard", "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:" + uid + "\r\nFN:" + name + "\r\nN:" + name + ";;;;\r\n"
                + "EMAIL:" + name.toLowerCase(java.util.Locale.ROOT).replace(' ', '.') + "@example.org\r\nEND:VCARD\r\n");
    }

    /** Logins by user id, like a credential database would hold them. */
    static final class Logins implements DavCredentials {
        private final Map<String, String> passwords = new ConcurrentHashMap<>();

        Logins with(String user, String password) {
            passwords.put(user, password);
            return this;
        }

        @Override
        public DavLogin login(Account account) {
            return new DavLogin(account.userId(), Secret.of(passwords.getOrDefault(account.userId(), "")));
        }
    }

    static DavItemStore store(String baseUrl, DavCredentials logins) {
        return DavItemStore.over(DavSettings.defaults(URI.create(baseUrl)), logins);
    }
}
