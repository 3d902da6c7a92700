package io.nexchange.graph.calendar.mapping;

import com.microsoft.graph.models.Event;
import com.microsoft.graph.models.OnlineMeetingInfo;
import com.microsoft.graph.models.OnlineMeetingProviderType;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.fortuna.ical4j.model.Parameter;
import net.fortuna.ical4j.model.ParameterList;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.parameter.Feature;
import net.fortuna.ical4j.model.parameter.Label;
import net.fortuna.ical4j.model.parameter.Value;
import net.fortuna.ical4j.model.property.Conference;
import net.fortuna.ical4j.model.property.Url;
import net.fortuna.ical4j.model.property.XProperty;

/**
 * An online meeting's join information (Teams, Skype) between Graph and iCalendar, written the ways calendar
 * clients read it: RFC 7986 {@code CONFERENCE} (join link with FEATURE=AUDIO,VIDEO, dial-in numbers as tel: URIs
 * with FEATURE=PHONE), {@code URL}, the properties Exchange's own iCalendar export carries
 * ({@code X-MICROSOFT-SKYPETEAMSMEETINGURL} for Teams, {@code X-MICROSOFT-ONLINEMEETINGEXTERNALLINK} /
 * {@code X-MICROSOFT-ONLINEMEETINGCONFLINK} for Skype for Business), and the join text at the end of DESCRIPTION
 * between two lines of 80 underscores, as Outlook shows it, unless the body already holds the join link.
 *
 * <p>On the way back the join text is taken off DESCRIPTION again (it is Exchange's to write, not part of the body),
 * and a Teams or Skype join link makes the event an online meeting of that provider.
 */
final class OnlineMeetings {

    static final String X_TEAMS_URL = "X-MICROSOFT-SKYPETEAMSMEETINGURL";
    static final String X_EXTERNAL_LINK = "X-MICROSOFT-ONLINEMEETINGEXTERNALLINK";
    static final String X_CONF_LINK = "X-MICROSOFT-ONLINEMEETINGCONFLINK";
    /** Outlook frames the join text of a Teams or Skype meeting with such lines. */
    static final String RULE = "_".repeat(80);
    private static final Pattern JOIN_TEXT = Pattern.compile("(?s)\\s*" + RULE + "\\n(.*?)\\n" + RULE + "\\s*\\z");

    private OnlineMeetings() {
    }

    /** What a calendar user needs to join. */
    record Join(String url, OnlineMeetingProviderType provider, String conferenceId, String tollNumber, List<String> tollFreeNumbers) {
        Join {
            // the ID as dialled ends with '#'; some organisers' systems store it that way ("177 418 223#"), Graph's example not
            conferenceId = conferenceId == null ? null : blankToNull(conferenceId.strip().replaceAll("#+$", "").strip());
        }

        boolean isTeams() {
            return provider == OnlineMeetingProviderType.TeamsForBusiness;
        }

        boolean isSkype() {
            return provider == OnlineMeetingProviderType.SkypeForBusiness || provider == OnlineMeetingProviderType.SkypeForConsumer;
        }
    }

    /** The join information of a Graph event: {@code onlineMeeting.joinUrl}, else {@code onlineMeetingUrl}. */
    static Optional<Join> of(Event event) {
        OnlineMeetingInfo info = event.getOnlineMeeting();
        String url = info != null && notBlank(info.getJoinUrl()) ? info.getJoinUrl().trim()
            : notBlank(event.getOnlineMeetingUrl()) ? event.getOnlineMeetingUrl().trim() : null;
        if (url == null || Boolean.FALSE.equals(event.getIsOnlineMeeting()) && info == null) {
            return Optional.empty();
        }
        OnlineMeetingProviderType provider = event.getOnlineMeetingProvider();
        if (provider == null || provider == OnlineMeetingProviderType.Unknown) {
            provider = providerOf(url);
        }
        List<String> tollFree = info == null || info.getTollFreeNumbers() == null ? List.of()
            : info.getTollFreeNumbers().stream().filter(OnlineMeetings::notBlank).map(String::trim).toList();
        return Optional.of(new Join(url, provider, info == null ? null : blankToNull(info.getConferenceId()),
            info == null ? null : blankToNull(info.getTollNumber()), tollFree));
    }

    /** The provider a join link belongs to, from its host; Unknown for anything but Teams and Skype. */
    static OnlineMeetingProviderType providerOf(String url) {
        String host = hostOf(url);
        if (host.equals("teams.microsoft.com") || host.equals("teams.live.com") || host.endsWith(".teams.microsoft.com")) {
            return OnlineMeetingProviderType.TeamsForBusiness;
        }
        if (url.regionMatches(true, 0, "conf:sip:", 0, 9) || host.startsWith("meet.lync.") || host.startsWith("join.skype.")
            || host.startsWith("meet.skype.")) {
            return url.toLowerCase(Locale.ROOT).contains("skype.com") ? OnlineMeetingProviderType.SkypeForConsumer
                : OnlineMeetingProviderType.SkypeForBusiness;
        }
        return OnlineMeetingProviderType.Unknown;
    }

    // ---------------------------------------------------------------- Graph -> iCalendar

    /** Adds CONFERENCE, URL and the vendor properties for the join information. Invalid URIs are left out. */
    static void write(VEvent vevent, Join join) {
        Optional<URI> uri = uri(join.url());
        if (uri.isPresent()) {
            vevent.add(new Url(uri.get()));
            vevent.add(new Conference(new ParameterList(List.of(Value.URI, new FeatureList("AUDIO", "VIDEO"),
                new Label(labelOf(join)))), join.url()));
        }
        if (join.tollNumber() != null) {
            telUri(join.tollNumber(), join.conferenceId()).ifPresent(tel -> vevent.add(new Conference(new ParameterList(
                List.of(Value.URI, Feature.PHONE, new Label("Dial-in (toll)"))), tel)));
        }
        for (String number : join.tollFreeNumbers()) {
            telUri(number, join.conferenceId()).ifPresent(tel -> vevent.add(new Conference(new ParameterList(
                List.of(Value.URI, Feature.PHONE, new Label("Dial-in (toll-free)"))), tel)));
        }
        if (join.isTeams()) {
            vevent.add(new XProperty(X_TEAMS_URL, join.url()));
        } else if (join.isSkype()) {
            vevent.add(new XProperty(join.url().regionMatches(true, 0, "conf:", 0, 5) ? X_CONF_LINK : X_EXTERNAL_LINK, join.url()));
        }
    }

    /**
     * The body's plain text with the join text appended, as Outlook shows an online meeting; the text as it is when it
     * already holds the join link (Exchange puts it into the body of Teams meetings it creates).
     */
    static String withJoinText(String plainBody, Join join) {
        if (plainBody.contains(join.url())) {
            return plainBody;
        }
        List<String> lines = new ArrayList<>();
        lines.add(RULE);
        if (join.isTeams()) {
            lines.add("Microsoft Teams meeting");
            lines.add("Join on your computer, mobile app or room device");
            lines.add("Click here to join the meeting <" + join.url() + ">");
        } else if (join.isSkype()) {
            lines.add("Join Skype Meeting <" + join.url() + ">");
        } else {
            lines.add("Online meeting");
            lines.add("Join: <" + join.url() + ">");
        }
        if (join.tollNumber() != null || !join.tollFreeNumbers().isEmpty()) {
            lines.add("Or call in (audio only)");
            String suffix = join.conferenceId() == null ? "" : ",," + join.conferenceId() + "#";
            if (join.tollNumber() != null) {
                lines.add(join.tollNumber() + suffix);
            }
            for (String number : join.tollFreeNumbers()) {
                lines.add(number + suffix + " (toll-free)");
            }
        }
        if (join.conferenceId() != null) {
            lines.add("Phone Conference ID: " + join.conferenceId() + "#");
        }
        lines.add(RULE);
        String block = String.join("\n", lines);
        return plainBody.isEmpty() ? block : plainBody + "\n\n" + block;
    }

    private static String labelOf(Join join) {
        return join.isTeams() ? "Microsoft Teams Meeting" : join.isSkype() ? "Skype Meeting" : "Online meeting";
    }

    /** {@code tel:+14255550123,,177513992#} from "+1 425 555 0123" and the conference id, as Teams' own dial links. */
    static Optional<String> telUri(String number, String conferenceId) {
        String digits = number.replaceAll("[\\s().\\-/]", "");
        if (!digits.matches("\\+?[0-9]{3,}")) {
            return Optional.empty();
        }
        return Optional.of("tel:" + digits + (conferenceId == null ? "" : ",," + conferenceId.replaceAll("\\s", "") + "#"));
    }

    // ---------------------------------------------------------------- iCalendar -> Graph

    /**
     * The join link an iCalendar event carries: Exchange's Teams property, a CONFERENCE that is not a phone number, or
     * Skype's properties; the provider from the property or the link's host.
     */
    static Optional<Join> read(VEvent vevent) {
        Optional<String> teams = value(vevent, X_TEAMS_URL);
        if (teams.isPresent()) {
            return Optional.of(new Join(teams.get(), OnlineMeetingProviderType.TeamsForBusiness, null, null, List.of()));
        }
        for (Property conference : vevent.getProperties(Conference.PROPERTY_NAME)) {
            String value = conference.getValue() == null ? "" : conference.getValue().trim();
            String feature = conference.getParameter(Parameter.FEATURE).map(Parameter::getValue).orElse("").toUpperCase(Locale.ROOT);
            boolean phoneOnly = value.regionMatches(true, 0, "tel:", 0, 4) || feature.equals("PHONE");
            if (!value.isEmpty() && !phoneOnly) {
                return Optional.of(new Join(value, providerOf(value), null, null, List.of()));
            }
        }
        for (String name : List.of(X_EXTERNAL_LINK, X_CONF_LINK)) {
            Optional<String> skype = value(vevent, name);
            if (skype.isPresent()) {
                return Optional.of(new Join(skype.get(), OnlineMeetingProviderType.SkypeForBusiness, null, null, List.of()));
            }
        }
        return Optional.empty();
    }

    /** DESCRIPTION without the join text at its end (the part between two 80-underscore lines holding the join link). */
    static String withoutJoinText(String description, Join join) {
        String text = description.replace("\r\n", "\n");
        Matcher block = JOIN_TEXT.matcher(text);
        if (block.find() && block.group(1).contains(join.url())) {
            return text.substring(0, block.start());
        }
        return text;
    }

    /**
     * FEATURE with several values, written as RFC 7986 writes them ({@code FEATURE=AUDIO,VIDEO}): ical4j's Feature
     * quotes a list ({@code FEATURE="AUDIO,VIDEO"}), which RFC 5545 reads as one value.
     */
    private static final class FeatureList extends Parameter {
        private static final long serialVersionUID = 1L;
        private final String value;

        FeatureList(String... values) {
            super(Parameter.FEATURE);
            this.value = String.join(",", values);
        }

        @Override
        public String getValue() {
            return value;
        }
    }

    private static Optional<String> value(VEvent vevent, String name) {
        return vevent.getProperty(name).map(Property::getValue).map(String::trim).filter(v -> !v.isEmpty());
    }

    private static Optional<URI> uri(String text) {
        try {
            URI uri = new URI(text);
            return uri.getScheme() == null ? Optional.empty() : Optional.of(uri);
        } catch (java.net.URISyntaxException notAUri) {
            return Optional.empty();
        }
    }

    private static String hostOf(String url) {
        return uri(url).map(URI::getHost).map(h -> h.toLowerCase(Locale.ROOT)).orElse("");
    }

    private static boolean notBlank(String text) {
        return text != null && !text.isBlank();
    }

    private static String blankToNull(String text) {
        return notBlank(text) ? text.trim() : null;
    }
}
