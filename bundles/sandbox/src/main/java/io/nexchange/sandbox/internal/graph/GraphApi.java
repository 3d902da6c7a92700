package io.nexchange.sandbox.internal.graph;

import io.nexchange.sandbox.DeadTokenMode;
import io.nexchange.sandbox.FaultRule;
import io.nexchange.sandbox.internal.entra.Entra;
import io.nexchange.sandbox.internal.entra.Principal;
import io.nexchange.sandbox.internal.fault.FaultInjector;
import io.nexchange.sandbox.internal.http.Counters;
import io.nexchange.sandbox.internal.http.GraphErrors;
import io.nexchange.sandbox.internal.http.GraphException;
import io.nexchange.sandbox.internal.http.Req;
import io.nexchange.sandbox.internal.http.Resp;
import io.nexchange.sandbox.internal.store.Tenant;
import io.nexchange.sandbox.internal.store.User;
import io.nexchange.sandbox.internal.throttle.Throttler;
import java.util.List;
import java.util.function.Supplier;

/**
 * Microsoft Graph v1.0 as far as the product uses it: authentication and app roles, the per-mailbox
 * throttle, routing to users / calendars / contacts / $batch, and Graph's error answers.
 */
public final class GraphApi {
    private final Tenant tenant;
    private final Entra entra;
    private final Throttler throttler;
    private final Counters counters;
    private final FaultInjector faults;
    private final DeltaTracker deltas;
    private final Supplier<DeadTokenMode> deadTokenMode;
    private final UsersResource users;
    private final GroupsResource groups;
    private final CalendarResource calendars;
    private final ContactsResource contacts;
    private final BatchResource batch;
    private final TranslateIdsResource translateIds = new TranslateIdsResource();

    public GraphApi(Tenant tenant, Entra entra, Throttler throttler, Counters counters, FaultInjector faults,
            Supplier<DeadTokenMode> deadTokenMode, int maxDeltaStates) {
        this.tenant = tenant;
        this.entra = entra;
        this.throttler = throttler;
        this.counters = counters;
        this.faults = faults;
        this.deadTokenMode = deadTokenMode;
        this.deltas = new DeltaTracker(maxDeltaStates);
        DeltaResource delta = new DeltaResource(deltas, faults, deadTokenMode);
        this.users = new UsersResource(tenant);
        this.groups = new GroupsResource(tenant);
        this.calendars = new CalendarResource(delta, tenant.meetingMessages);
        this.contacts = new ContactsResource(delta);
        this.batch = new BatchResource(this);
    }

    /** Forgets delta tokens of a mailbox (null: all), as when Outlook's sync state cache drops them. */
    public void expireDeltaTokens(String userId) {
        deltas.expire(userId);
    }

    /** Answers one request below /v1.0 (the segments after it). */
    public Resp handle(Req req, List<String> segments) {
        String endpoint = Segments.template(req.method, segments);
        String mailbox = null;
        String appId = null;
        Resp resp;
        try {
            if (segments.isEmpty()) {
                throw new GraphException(404, "BadRequest", "Resource not found for the segment ''.");
            }
            if (Segments.is(segments.get(0), "$batch")) {
                if (req.inBatch) {
                    throw GraphException.badRequest("BadRequest", "Nested batch requests are not supported.");
                }
                Principal p = entra.validate(req.header("Authorization"), Entra.GRAPH_RESOURCE);
                appId = p.appId();
                resp = batch.handle(req);
            } else if (Segments.is(segments.get(0), "users")) {
                Principal p = entra.validate(req.header("Authorization"), Entra.GRAPH_RESOURCE);
                appId = p.appId();
                if (segments.size() <= 2) {
                    requireDirectoryRole(p);
                    directoryFaults(req);
                    resp = segments.size() == 1 ? users.list(req) : users.get(req, findUser(segments.get(1)));
                } else {
                    User user = findUser(segments.get(1));
                    mailbox = user.userPrincipalName;
                    resp = mailboxRequest(req, p, user, segments.subList(2, segments.size()));
                }
            } else if (Segments.is(segments.get(0), "groups")) {
                Principal p = entra.validate(req.header("Authorization"), Entra.GRAPH_RESOURCE);
                appId = p.appId();
                requireGroupRole(p);
                directoryFaults(req);
                resp = groups.handle(req, p, segments.subList(1, segments.size()));
            } else {
                throw new GraphException(400, "BadRequest", "Resource not found for the segment '" + segments.get(0) + "'.");
            }
        } catch (GraphException e) {
            resp = GraphErrors.toResponse(e, req);
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            resp = GraphErrors.toResponse(GraphException.badRequest("ErrorInvalidRequest", e.getMessage()), req);
        } catch (RuntimeException e) {
            // a sandbox bug must still look like a Graph answer, not a dropped connection
            resp = GraphErrors.toResponse(new GraphException(500, "InternalServerError",
                    "The sandbox failed on this request: " + e), req);
        }
        counters.record(endpoint, mailbox, appId, resp.status);
        return resp;
    }

    private Resp mailboxRequest(Req req, Principal p, User user, List<String> rest) {
        String area = rest.get(0).toLowerCase(java.util.Locale.ROOT);
        boolean contactsArea = area.startsWith("contact");
        boolean translate = area.equals("translateexchangeids");
        boolean write = !"GET".equals(req.method) && !translate;
        if (translate) {
            if (!p.hasAnyRole("User.Read.All", "User.ReadBasic.All", "User.ReadWrite.All", "Directory.Read.All")) {
                throw new GraphException(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
            }
        } else if (contactsArea) {
            if (!(write ? p.hasAnyRole("Contacts.ReadWrite") : p.hasAnyRole("Contacts.Read", "Contacts.ReadWrite"))) {
                throw new GraphException(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
            }
        } else if (!(write ? p.hasAnyRole("Calendars.ReadWrite") : p.hasAnyRole("Calendars.Read", "Calendars.ReadWrite"))) {
            throw new GraphException(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
        }
        if (!user.hasMailbox() || user.onPremises) {
            throw new GraphException(404, "MailboxNotEnabledForRESTAPI", "The mailbox is either inactive, soft-deleted, or is hosted on-premise.");
        }
        try (Throttler.Permit permit = throttler.acquire(p.appId(), user.id)) {
            FaultRule latency = faults.fire(req.rawPath, m -> matches(user, m), FaultRule.Kind.LATENCY);
            if (latency != null) {
                sleep(latency.latencyMillis());
            }
            FaultRule status = faults.fire(req.rawPath, m -> matches(user, m), FaultRule.Kind.STATUS);
            if (status != null) {
                throw injected(status);
            }
            Ctx ctx = new Ctx(req, p, user, user.mailbox(), rest, Prefer.parse(req.header("Prefer")));
            return translate ? translateIds.handle(ctx) : contactsArea ? contacts.handle(ctx) : calendars.handle(ctx);
        }
    }

    /** Latency and status faults also reach directory requests when a rule names no mailbox. */
    private void directoryFaults(Req req) {
        FaultRule latency = faults.fire(req.rawPath, m -> false, FaultRule.Kind.LATENCY);
        if (latency != null) {
            sleep(latency.latencyMillis());
        }
        FaultRule status = faults.fire(req.rawPath, m -> false, FaultRule.Kind.STATUS);
        if (status != null) {
            throw injected(status);
        }
    }

    static GraphException injected(FaultRule rule) {
        String code = switch (rule.status()) {
            case 503 -> "ServiceNotAvailable";
            case 504 -> "GatewayTimeout";
            case 429 -> "TooManyRequests";
            default -> "InternalServerError";
        };
        GraphException e = rule.status() == 429 ? GraphException.throttled(rule.retryAfter())
                : new GraphException(rule.status(), code, "The service is currently unavailable (injected fault).");
        if (rule.retryAfter() != null && rule.status() != 429) {
            e.header("Retry-After", rule.retryAfter());
        }
        return e;
    }

    static boolean matches(User user, String mailbox) {
        return mailbox.equalsIgnoreCase(user.id) || mailbox.equalsIgnoreCase(user.userPrincipalName)
                || (user.mail != null && mailbox.equalsIgnoreCase(user.mail));
    }

    private User findUser(String key) {
        return tenant.find(key).orElseThrow(() -> new GraphException(404, "Request_ResourceNotFound",
                "Resource '" + key + "' does not exist or one of its queried reference-property objects are not present."));
    }

    private static void requireDirectoryRole(Principal p) {
        if (!p.hasAnyRole("User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All")) {
            throw new GraphException(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
        }
    }

    /** Groups and their memberships, app-only: GroupMember.Read.All is the least privileged role Graph accepts. */
    private static void requireGroupRole(Principal p) {
        if (!p.hasAnyRole("GroupMember.Read.All", "GroupMember.ReadWrite.All", "Group.Read.All", "Group.ReadWrite.All",
                "Directory.Read.All", "Directory.ReadWrite.All")) {
            throw new GraphException(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Tenant tenant() {
        return tenant;
    }

    DeadTokenMode deadTokenMode() {
        return deadTokenMode.get();
    }
}
