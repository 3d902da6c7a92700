package io.nexchange.graph.client.internal;

import com.google.gson.Gson;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import com.microsoft.kiota.serialization.DefaultGsonBuilder;
import com.microsoft.kiota.serialization.FormParseNodeFactory;
import com.microsoft.kiota.serialization.JsonParseNodeFactory;
import com.microsoft.kiota.serialization.ParseNodeFactory;
import com.microsoft.kiota.serialization.ParseNodeFactoryRegistry;
import com.microsoft.kiota.serialization.TextParseNodeFactory;
import java.io.IOException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Graph's JSON read the way Graph sends it. The SDK's parser fails a whole response (a delta page of 100 events) on
 * one date-time it cannot parse; real mailboxes hold such values in fields nothing here relies on (seen: an event's
 * {@code responseStatus.time}). A date-time that is not one is read as absent (logged at DEBUG), one without offset
 * as UTC (the zone Graph writes date-times in); everything else is the SDK's own reading.
 *
 * <p>Unknown enum values need nothing here: the SDK's parser already reads them as absent.
 */
public final class LenientJson {

    private static final Logger LOG = LoggerFactory.getLogger(LenientJson.class);

    private LenientJson() {
    }

    /** The SDK's JSON settings with lenient date-times. */
    public static Gson gson() {
        return DefaultGsonBuilder.getDefaultBuilder().registerTypeAdapter(OffsetDateTime.class, new LenientOffsetDateTime()).create();
    }

    /** A parse node factory per client (not the SDK's shared registry): JSON leniently, text and form as the SDK does. */
    public static ParseNodeFactory parseNodeFactory() {
        ParseNodeFactoryRegistry registry = new ParseNodeFactoryRegistry();
        JsonParseNodeFactory json = new JsonParseNodeFactory(gson());
        registry.contentTypeAssociatedFactories.put(json.getValidContentType(), json);
        TextParseNodeFactory text = new TextParseNodeFactory();
        registry.contentTypeAssociatedFactories.put(text.getValidContentType(), text);
        FormParseNodeFactory form = new FormParseNodeFactory();
        registry.contentTypeAssociatedFactories.put(form.getValidContentType(), form);
        return registry;
    }

    static OffsetDateTime parse(String text) {
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException withoutOffset) {
            try {
                return LocalDateTime.parse(text).atOffset(ZoneOffset.UTC);
            } catch (DateTimeParseException notADateTime) {
                LOG.debug("Graph sent '{}' where a date-time belongs; read as absent", text);
                return null;
            }
        }
    }

    private static final class LenientOffsetDateTime extends TypeAdapter<OffsetDateTime> {
        @Override
        public void write(JsonWriter out, OffsetDateTime value) throws IOException {
            if (value == null) {
                out.nullValue();
            } else {
                out.value(value.toString());
            }
        }

        @Override
        public OffsetDateTime read(JsonReader in) throws IOException {
            if (in.peek() == JsonToken.NULL) {
                in.nextNull();
                return null;
            }
            if (in.peek() != JsonToken.STRING) {
                in.skipValue();
                return null;
            }
            return parse(in.nextString());
        }
    }
}
