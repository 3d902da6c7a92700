package io.nexchange.nextcloud.internal;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where one server keeps its accounts' principals and homes, learned from the first discovery that shows the login
 * name as exactly one path segment of each (Nextcloud: {@code principals/users/NAME/}, {@code calendars/NAME/},
 * {@code addressbooks/users/NAME/}; Radicale: {@code /NAME/} for all three). Later accounts guess their homes from it
 * instead of sending the two discovery requests; {@link DavItemStore} uses a guess only once the server confirmed it
 * in the home listing that follows anyway (the login's {@code current-user-principal} and the home's {@code owner}
 * are the guessed principal), and a guess the server does not confirm turns guessing off for this store. Thread-safe.
 */
final class HomeLayout {
    /** Login names that stand in a path as they are (no percent-encoding to get wrong). */
    private static final Pattern PLAIN_SEGMENT = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    /** Each path as the part before and after the login's segment. */
    private record Template(List<String> principal, List<String> calendarHome, List<String> addressbookHome) {}

    private volatile Template template;
    private volatile boolean refuted;

    /** Learns the layout from an account's discovered homes, if the login is one plain segment of every path. */
    void learn(String login, AccountSession.Homes homes) {
        if (refuted || template != null || !PLAIN_SEGMENT.matcher(login).matches() || homes.calendarHome().isEmpty()
                || homes.addressbookHome().isEmpty()) {
            return;
        }
        Optional<List<String>> principal = split(homes.principal(), login);
        Optional<List<String>> calendars = split(homes.calendarHome().get(), login);
        Optional<List<String>> addressbooks = split(homes.addressbookHome().get(), login);
        if (principal.isPresent() && calendars.isPresent() && addressbooks.isPresent()) {
            template = new Template(principal.get(), calendars.get(), addressbooks.get());
        }
    }

    /** The homes this login would have in the learned layout; empty before one is learned, or once refuted. */
    Optional<AccountSession.Homes> guess(String login) {
        Template known = template;
        if (refuted || known == null || !PLAIN_SEGMENT.matcher(login).matches()) {
            return Optional.empty();
        }
        return Optional.of(new AccountSession.Homes(join(known.principal(), login),
                Optional.of(join(known.calendarHome(), login)), Optional.of(join(known.addressbookHome(), login))));
    }

    /** The server did not confirm a guess: every account discovers its homes from now on. */
    void refute() {
        refuted = true;
        template = null;
    }

    boolean refuted() {
        return refuted;
    }

    /** The path before and after the one segment equal to the login; empty if none or several are. */
    private static Optional<List<String>> split(String path, String login) {
        String[] segments = path.split("/", -1);
        int at = -1;
        for (int i = 0; i < segments.length; i++) {
            if (segments[i].equals(login)) {
                if (at >= 0) {
                    return Optional.empty();
                }
                at = i;
            }
        }
        if (at < 0) {
            return Optional.empty();
        }
        String before = at == 0 ? "" : String.join("/", List.of(segments).subList(0, at)) + "/";
        String after = at + 1 < segments.length ? "/" + String.join("/", List.of(segments).subList(at + 1, segments.length)) : "";
        return Optional.of(List.of(before, after));
    }

    private static String join(List<String> parts, String login) {
        return parts.get(0) + login + parts.get(1);
    }
}
