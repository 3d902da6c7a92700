package io.nexchange.sandbox.internal.graph;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nexchange.sandbox.internal.Json;
import io.nexchange.sandbox.internal.http.GraphException;
import io.nexchange.sandbox.internal.http.Req;
import io.nexchange.sandbox.internal.http.Resp;
import io.nexchange.sandbox.internal.store.Contact;
import io.nexchange.sandbox.internal.store.ContactFolder;
import io.nexchange.sandbox.internal.store.Mailbox;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Contacts and contact folders: /contacts, /contactFolders[/{id}[/contacts|/childFolders]], delta on
 * both contact collections, CRUD with If-Match, and the photo ($value GET/PUT, metadata).
 */
final class ContactsResource {
    private static final int DEFAULT_PAGE = 10;
    private final DeltaResource delta;

    ContactsResource(DeltaResource delta) {
        this.delta = delta;
    }

    Resp handle(Ctx ctx) {
        List<String> rest = ctx.rest();
        Mailbox mb = ctx.mailbox();
        if (Segments.is(rest.get(0), "contacts")) {
            return scoped(ctx, mb.defaultContactFolder(), rest);
        }
        if (Segments.is(rest.get(0), "contactFolders")) {
            if (rest.size() == 1) {
                return "POST".equals(ctx.req().method) ? createFolder(ctx) : listFolders(ctx, mb.defaultContactFolder());
            }
            if (rest.size() == 2 && Segments.isDelta(rest.get(1))) {
                requireGet(ctx);
                return delta.delta(ctx, DeltaTracker.Kind.CONTACT_FOLDERS, "folders", (m, from, to) -> {
                    LinkedHashMap<String, Object> out = new LinkedHashMap<>();
                    for (ContactFolder f : m.contactFolders()) {
                        if (!f.isDefault) {
                            out.put(f.id, new ContactFolder(f.id, f.parentFolderId, f.displayName, false));
                        }
                    }
                    return out;
                });
            }
            ContactFolder folder = mb.contactFolder(rest.get(1)).orElseThrow(() -> GraphException.notFound(
                    "The specified object was not found in the store."));
            if (rest.size() == 2) {
                requireGet(ctx);
                ObjectNode body = Json.object();
                body.put("@odata.context", Render.context(ctx.req(), "users('" + ctx.user().id + "')/contactFolders/$entity"));
                body.setAll(Render.contactFolder(folder));
                return Resp.json(200, body);
            }
            if (rest.size() == 3 && Segments.is(rest.get(2), "childFolders")) {
                requireGet(ctx);
                return listFolders(ctx, folder);
            }
            return scoped(ctx, folder, rest.subList(2, rest.size()));
        }
        throw new GraphException(400, "BadRequest", "Resource not found for the segment '" + rest.get(0) + "'.");
    }

    private Resp scoped(Ctx ctx, ContactFolder folder, List<String> tail) {
        Mailbox mb = ctx.mailbox();
        String method = ctx.req().method;
        if (!Segments.is(tail.get(0), "contacts")) {
            throw new GraphException(400, "BadRequest", "Resource not found for the segment '" + tail.get(0) + "'.");
        }
        if (tail.size() == 1) {
            return "POST".equals(method) ? create(ctx, folder) : list(ctx, folder);
        }
        if (tail.size() == 2 && Segments.isDelta(tail.get(1))) {
            requireGet(ctx);
            String folderId = folder.id;
            return delta.delta(ctx, DeltaTracker.Kind.CONTACTS, folderId, (m, from, to) -> {
                LinkedHashMap<String, Object> out = new LinkedHashMap<>();
                for (Contact c : m.contacts(folderId)) {
                    out.put(c.id, Json.copy(c, Contact.class));
                }
                return out;
            });
        }
        String id = tail.get(1);
        if (tail.size() == 2) {
            return switch (method) {
                case "GET" -> get(ctx, id);
                case "PATCH" -> update(ctx, id);
                case "DELETE" -> delete(ctx, id);
                default -> throw CalendarResource.methodNotAllowed();
            };
        }
        if (Segments.is(tail.get(2), "photo")) {
            Contact c = find(mb, id);
            if (tail.size() == 3) {
                requireGet(ctx);
                synchronized (mb) {
                    if (c.photo == null) {
                        throw noPhoto();
                    }
                    ObjectNode body = Json.object();
                    body.put("@odata.context", Render.context(ctx.req(), "users('" + ctx.user().id + "')/contacts('" + id + "')/photo/$entity"));
                    body.put("@odata.mediaContentType", c.photoContentType);
                    body.put("@odata.mediaEtag", "W/\"" + c.changeKey + "\"");
                    body.put("id", c.photoSize + "X" + c.photoSize);
                    body.put("height", c.photoSize);
                    body.put("width", c.photoSize);
                    return Resp.json(200, body);
                }
            }
            if (tail.size() == 4 && Segments.is(tail.get(3), "$value")) {
                if ("GET".equals(method)) {
                    synchronized (mb) {
                        if (c.photo == null) {
                            throw noPhoto();
                        }
                        return Resp.bytes(200, c.photo.clone(), c.photoContentType);
                    }
                }
                if ("PUT".equals(method) || "PATCH".equals(method)) {
                    byte[] bytes = ctx.req().body;
                    if (bytes.length == 0) {
                        throw GraphException.badRequest("ErrorInvalidRequest", "The photo content is empty.");
                    }
                    int size = 0;
                    try {
                        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
                        if (image == null) {
                            throw GraphException.badRequest("ErrorInvalidImage", "The image is not valid.");
                        }
                        size = Math.max(image.getWidth(), image.getHeight());
                    } catch (IOException e) {
                        throw GraphException.badRequest("ErrorInvalidImage", "The image is not valid.");
                    }
                    String declared = ctx.req().header("Content-Type");
                    // SDKs send application/octet-stream; Exchange keeps the image's own type
                    String type = declared != null && declared.startsWith("image/") ? declared : sniff(bytes);
                    mb.setPhoto(c, bytes.clone(), type, size);
                    return Resp.empty(200);
                }
                throw CalendarResource.methodNotAllowed();
            }
        }
        throw new GraphException(400, "BadRequest", "Resource not found for the segment '" + tail.get(tail.size() - 1) + "'.");
    }

    private static String sniff(byte[] b) {
        if (b.length > 3 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return "image/png";
        }
        if (b.length > 2 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F') {
            return "image/gif";
        }
        return "image/jpeg";
    }

    private static GraphException noPhoto() {
        return new GraphException(404, "ImageNotFound", "The photo wasn't found.");
    }

    private Resp listFolders(Ctx ctx, ContactFolder parent) {
        ObjectNode body = Json.object();
        body.put("@odata.context", Render.context(ctx.req(), "users('" + ctx.user().id + "')/contactFolders"));
        ArrayNode value = body.putArray("value");
        for (ContactFolder f : ctx.mailbox().contactFolders()) {
            if (!f.isDefault && f.parentFolderId.equals(parent.id)) {
                value.add(Render.contactFolder(f));
            }
        }
        return Resp.json(200, body);
    }

    private Resp createFolder(Ctx ctx) {
        String name = CalendarResource.readTree(ctx.req()).path("displayName").asText("");
        if (name.isBlank()) {
            throw GraphException.badRequest("ErrorInvalidRequest", "The folder displayName is required.");
        }
        ContactFolder f = ctx.mailbox().createContactFolder(name);
        ObjectNode body = Json.object();
        body.put("@odata.context", Render.context(ctx.req(), "users('" + ctx.user().id + "')/contactFolders/$entity"));
        body.setAll(Render.contactFolder(f));
        return Resp.json(201, body);
    }

    private Resp list(Ctx ctx, ContactFolder folder) {
        Req req = ctx.req();
        List<ObjectNode> all = new ArrayList<>();
        ExtendedProperties.Filter filter = ExtendedProperties.filter(req.query("$filter"));
        synchronized (ctx.mailbox()) {
            for (Contact c : ctx.mailbox().contacts(folder.id)) {
                if (filter == null || filter.matches(c.extendedProperties)) {
                    ObjectNode n = Render.applySelect(Render.contact(c), Render.select(req));
                    ExtendedProperties.expand(n, c.extendedProperties, req.query("$expand"));
                    all.add(n);
                }
            }
        }
        int top = Math.max(1, Math.min(1000, Render.intParam(req, "$top", DEFAULT_PAGE)));
        int skip = Math.max(0, Render.intParam(req, "$skip", 0));
        ObjectNode body = Json.object();
        body.put("@odata.context", Render.context(req, "users('" + ctx.user().id + "')/contacts"));
        ArrayNode value = Json.MAPPER.createArrayNode();
        int end = Math.min(all.size(), skip + top);
        for (int i = skip; i < end; i++) {
            value.add(all.get(i));
        }
        body.set("value", value);
        if (end < all.size()) {
            Map<String, String> params = new LinkedHashMap<>(req.queryMap());
            params.remove("$skip");
            params.put("$skip", Integer.toString(end));
            body.put("@odata.nextLink", Render.link(req, params));
        }
        return Resp.json(200, body);
    }

    private Resp get(Ctx ctx, String id) {
        synchronized (ctx.mailbox()) {
            Contact c = find(ctx.mailbox(), id);
            ObjectNode body = Json.object();
            body.put("@odata.context", Render.context(ctx.req(), "users('" + ctx.user().id + "')/contacts/$entity"));
            body.setAll(Render.applySelect(Render.contact(c), Render.select(ctx.req())));
            ExtendedProperties.expand(body, c.extendedProperties, ctx.req().query("$expand"));
            return Resp.json(200, body);
        }
    }

    private Resp create(Ctx ctx, ContactFolder folder) {
        Contact c;
        try {
            c = Json.MAPPER.readValue(ctx.req().body, Contact.class);
        } catch (IOException e) {
            throw GraphException.badRequest("RequestBodyRead", "Cannot read the request body: " + e.getMessage());
        }
        Contact created = ctx.mailbox().createContact(folder.id, c);
        ObjectNode body = Json.object();
        body.put("@odata.context", Render.context(ctx.req(), "users('" + ctx.user().id + "')/contacts/$entity"));
        synchronized (ctx.mailbox()) {
            body.setAll(Render.contact(created));
        }
        return Resp.json(201, body);
    }

    private Resp update(Ctx ctx, String id) {
        Mailbox mb = ctx.mailbox();
        synchronized (mb) {
            Contact c = find(mb, id);
            CalendarResource.checkIfMatch(ctx.req(), c.changeKey);
            String keepId = c.id;
            String keepFolder = c.parentFolderId;
            String keepCreated = c.createdDateTime;
            mb.updateContact(c, target -> {
                try {
                    Json.MAPPER.readerForUpdating(target).readValue(ctx.req().body);
                } catch (IOException e) {
                    throw GraphException.badRequest("RequestBodyRead", "Cannot read the request body: " + e.getMessage());
                }
                target.id = keepId;
                target.parentFolderId = keepFolder;
                target.createdDateTime = keepCreated;
            });
            ObjectNode body = Json.object();
            body.put("@odata.context", Render.context(ctx.req(), "users('" + ctx.user().id + "')/contacts/$entity"));
            body.setAll(Render.contact(c));
            return Resp.json(200, body);
        }
    }

    private Resp delete(Ctx ctx, String id) {
        Mailbox mb = ctx.mailbox();
        synchronized (mb) {
            Contact c = find(mb, id);
            CalendarResource.checkIfMatch(ctx.req(), c.changeKey);
            mb.deleteContact(c);
        }
        return Resp.empty(204);
    }

    private static Contact find(Mailbox mb, String id) {
        return mb.contact(id).orElseThrow(() -> GraphException.notFound("The specified object was not found in the store."));
    }

    private static void requireGet(Ctx ctx) {
        if (!"GET".equals(ctx.req().method)) {
            throw CalendarResource.methodNotAllowed();
        }
    }
}
