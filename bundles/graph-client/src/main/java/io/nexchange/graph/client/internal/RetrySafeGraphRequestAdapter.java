package io.nexchange.graph.client.internal;

import com.microsoft.graph.core.requests.BaseGraphRequestAdapter;
import com.microsoft.kiota.authentication.AuthenticationProvider;
import com.microsoft.kiota.serialization.ParseNodeFactory;
import com.microsoft.kiota.serialization.Parsable;
import com.microsoft.kiota.serialization.SerializationWriterFactory;
import com.microsoft.kiota.serialization.SerializationWriterProxyFactory;
import com.microsoft.kiota.store.BackedModel;
import okhttp3.OkHttpClient;

/**
 * The Graph SDK's request adapter, with request bodies that can be sent again. The SDK's models keep their values in a
 * backing store that, once a model has been serialised, counts every value as unchanged, and serialises only changed
 * values: a request built a second time from the same model object (a write {@code GraphCall} retries after a 429 or
 * 503) went out as {@code {}}. A create then failed ("start and end are required") and, worse, a PATCH succeeded
 * without changing anything while the engine recorded the update. Here every model is marked changed right before it
 * is serialised, so a body is always the whole model, however often it is sent. The models Nexchange writes are built
 * for the write (never a read model modified), so the first body is what it was before.
 */
final class RetrySafeGraphRequestAdapter extends BaseGraphRequestAdapter {
    private SerializationWriterFactory wrapped;
    private SerializationWriterFactory wrapping;

    RetrySafeGraphRequestAdapter(AuthenticationProvider auth, ParseNodeFactory parseNodes, OkHttpClient http, String baseUrl) {
        super(auth, parseNodes, null, http, null, baseUrl);
    }

    @Override
    public synchronized SerializationWriterFactory getSerializationWriterFactory() {
        // the SDK's client replaces the factory once (enableBackingStore) after this adapter is built: wrap the current one
        SerializationWriterFactory current = super.getSerializationWriterFactory();
        if (current != wrapped) {
            wrapped = current;
            wrapping = new SerializationWriterProxyFactory(current, RetrySafeGraphRequestAdapter::markChanged, model -> { },
                    (model, writer) -> { }) { };
        }
        return wrapping;
    }

    /** Runs before the backing store's own hook, which then serialises the values changed: all of them. */
    private static void markChanged(Parsable model) {
        if (model instanceof BackedModel backed && backed.getBackingStore() != null) {
            backed.getBackingStore().setIsInitializationCompleted(false);
        }
    }
}
