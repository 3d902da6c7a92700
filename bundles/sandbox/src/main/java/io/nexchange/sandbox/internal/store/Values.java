package io.nexchange.sandbox.internal.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;

/** Graph complex types, field names and order as Graph writes them. */
public final class Values {
    private Values() {
    }

    @JsonPropertyOrder({"contentType", "content"})
    public static final class ItemBody {
        public String contentType = "text";
        public String content = "";

        public ItemBody() {
        }

        public ItemBody(String contentType, String content) {
            this.contentType = contentType;
            this.content = content;
        }
    }

    @JsonPropertyOrder({"dateTime", "timeZone"})
    public static final class DateTimeTimeZone {
        public String dateTime;
        public String timeZone;

        public DateTimeTimeZone() {
        }

        public DateTimeTimeZone(String dateTime, String timeZone) {
            this.dateTime = dateTime;
            this.timeZone = timeZone;
        }
    }

    @JsonPropertyOrder({"name", "address"})
    public static final class EmailAddress {
        public String name;
        public String address;

        public EmailAddress() {
        }

        public EmailAddress(String name, String address) {
            this.name = name;
            this.address = address;
        }
    }

    public static final class Recipient {
        public EmailAddress emailAddress;

        public Recipient() {
        }

        public Recipient(EmailAddress emailAddress) {
            this.emailAddress = emailAddress;
        }
    }

    @JsonPropertyOrder({"response", "time"})
    public static final class ResponseStatus {
        public String response = "none";
        public String time = "0001-01-01T00:00:00Z";

        public ResponseStatus() {
        }

        public ResponseStatus(String response, String time) {
            this.response = response;
            this.time = time;
        }
    }

    @JsonPropertyOrder({"type", "status", "emailAddress"})
    public static final class Attendee {
        public String type = "required";
        public ResponseStatus status = new ResponseStatus();
        public EmailAddress emailAddress;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"street", "city", "state", "countryOrRegion", "postalCode"})
    public static final class PhysicalAddress {
        public String street;
        public String city;
        public String state;
        public String countryOrRegion;
        public String postalCode;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static final class GeoCoordinates {
        public Double latitude;
        public Double longitude;
    }

    @JsonPropertyOrder({"displayName", "locationType", "uniqueId", "uniqueIdType", "address", "coordinates"})
    public static final class Location {
        public String displayName = "";
        public String locationType = "default";
        @JsonInclude(JsonInclude.Include.NON_NULL)
        public String uniqueId;
        public String uniqueIdType = "unknown";
        public PhysicalAddress address = new PhysicalAddress();
        public GeoCoordinates coordinates = new GeoCoordinates();
    }

    @JsonPropertyOrder({"pattern", "range"})
    public static final class PatternedRecurrence {
        public RecurrencePattern pattern;
        public RecurrenceRange range;
    }

    @JsonPropertyOrder({"type", "interval", "month", "dayOfMonth", "daysOfWeek", "firstDayOfWeek", "index"})
    public static final class RecurrencePattern {
        public String type;
        public int interval = 1;
        public int month;
        public int dayOfMonth;
        public List<String> daysOfWeek = new ArrayList<>();
        public String firstDayOfWeek = "sunday";
        public String index = "first";
    }

    @JsonPropertyOrder({"type", "startDate", "endDate", "recurrenceTimeZone", "numberOfOccurrences"})
    public static final class RecurrenceRange {
        public String type;
        public String startDate;
        public String endDate = "0001-01-01";
        public String recurrenceTimeZone;
        public int numberOfOccurrences;
    }

    @JsonPropertyOrder({"name", "address"})
    public static final class TypedEmailAddress {
        public String name;
        public String address;
    }
}
