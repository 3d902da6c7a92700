package io.nexchange.ews.internal;

import io.nexchange.ews.internal.soap.SoapRequest;
import java.util.List;
import java.util.function.Consumer;

/**
 * One writable property of an item: its FieldURI (or IndexedFieldURI with an index) and how to write its element,
 * or {@code null} when the item has no value for it. CreateItem writes the present ones in schema order; UpdateItem
 * sets the present ones and deletes the absent ones, one property per change as EWS requires.
 */
record ItemField(String uri, String index, Consumer<SoapRequest> value) {

    static ItemField of(String uri, Consumer<SoapRequest> value) {
        return new ItemField(uri, null, value);
    }

    static ItemField indexed(String uri, String index, Consumer<SoapRequest> value) {
        return new ItemField(uri, index, value);
    }

    /** The fields with a value, inside {@code <t:itemElement>} (CreateItem). */
    static void writeItem(SoapRequest r, String itemElement, List<ItemField> fields) {
        r.t(itemElement);
        for (ItemField f : fields) {
            if (f.value() != null && f.index() == null) {
                f.value().accept(r);
            }
        }
        // indexed entries of one dictionary are written together, in one element
        writeDictionaries(r, fields);
        r.end();
    }

    private static void writeDictionaries(SoapRequest r, List<ItemField> fields) {
        String open = null;
        for (ItemField f : fields) {
            if (f.index() == null || f.value() == null) {
                continue;
            }
            String dictionary = dictionaryOf(f.uri());
            if (!dictionary.equals(open)) {
                if (open != null) {
                    r.end();
                }
                r.t(dictionary);
                open = dictionary;
            }
            f.value().accept(r);
        }
        if (open != null) {
            r.end();
        }
    }

    /** The Updates of an UpdateItem ItemChange: SetItemField per present field, DeleteItemField per absent one. */
    static void writeUpdates(SoapRequest r, String itemElement, List<ItemField> fields) {
        r.t("Updates");
        for (ItemField f : fields) {
            String uriElement = f.index() == null ? "FieldURI" : "IndexedFieldURI";
            if (f.value() == null) {
                r.t("DeleteItemField");
                r.t(uriElement).attr("FieldURI", f.uri()).attr("FieldIndex", f.index()).end();
                r.end();
                continue;
            }
            r.t("SetItemField");
            r.t(uriElement).attr("FieldURI", f.uri()).attr("FieldIndex", f.index()).end();
            r.t(itemElement);
            if (f.index() != null) {
                r.t(dictionaryOf(f.uri()));
                f.value().accept(r);
                r.end();
            } else {
                f.value().accept(r);
            }
            r.end();
            r.end();
        }
        r.end();
    }

    private static String dictionaryOf(String uri) {
        return switch (uri) {
            case "contacts:EmailAddress" -> "EmailAddresses";
            case "contacts:PhoneNumber" -> "PhoneNumbers";
            case "contacts:ImAddress" -> "ImAddresses";
            default -> {
                if (uri.startsWith("contacts:PhysicalAddress:")) {
                    yield "PhysicalAddresses";
                }
                throw new IllegalArgumentException("no dictionary for " + uri);
            }
        };
    }
}
