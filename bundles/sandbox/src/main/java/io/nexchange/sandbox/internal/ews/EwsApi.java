package io.nexchange.sandbox.internal.ews;

import static io.nexchange.sandbox.internal.ews.EwsXml.SOAP;
import static io.nexchange.sandbox.internal.ews.EwsXml.TYPES;
import static io.nexchange.sandbox.internal.ews.EwsXml.t;
import static io.nexchange.sandbox.internal.ews.EwsXml.text;

import io.nexchange.sandbox.FaultRule;
import io.nexchange.sandbox.internal.entra.Entra;
import io.nexchange.sandbox.internal.entra.Principal;
import io.nexchange.sandbox.internal.fault.FaultInjector;
import io.nexchange.sandbox.internal.http.Counters;
import io.nexchange.sandbox.internal.http.GraphException;
import io.nexchange.sandbox.internal.http.Req;
import io.nexchange.sandbox.internal.http.Resp;
import io.nexchange.sandbox.internal.store.Tenant;
import io.nexchange.sandbox.internal.store.User;
import io.nexchange.sandbox.internal.throttle.Throttler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.xml.XMLConstants;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.SAXException;

/**
 * EWS ({@code POST /EWS/Exchange.asmx}, SOAP 1.1): authentication (Exchange Online app-only OAuth with
 * {@code full_access_as_app}, or an on-prem style Basic service account), ExchangeImpersonation, the
 * per (caller, mailbox) throttle, fault injection, the operations, and EWS's error shapes (response
 * messages, SOAP faults, bare HTTP statuses).
 */
public final class EwsApi {
    private static final Set<String> VERSIONS = Set.of("Exchange2007", "Exchange2007_SP1", "Exchange2010", "Exchange2010_SP1",
            "Exchange2010_SP2", "Exchange2013", "Exchange2013_SP1", "Exchange2015", "Exchange2016", "V2015_10_05", "V2016_01_06",
            "V2016_04_13", "V2016_07_13", "V2016_10_10", "V2017_01_07", "V2017_04_14", "V2017_07_11", "V2017_10_09", "V2018_01_08");
    private static final Set<String> OPERATIONS = Set.of("GetItem", "GetAttachment", "SyncFolderItems", "FindItem", "CreateItem", "UpdateItem", "DeleteItem");

    private final Tenant tenant;
    private final Entra entra;
    private final Throttler throttler;
    private final Counters counters;
    private final FaultInjector faults;
    private final SyncStates syncStates;
    private final EwsOperations operations;
    private final Supplier<EwsServiceAccount> serviceAccount;
    /** Whether some mailboxes live on-premises (then the service account serves only those). */
    private final java.util.function.BooleanSupplier hybrid;

    public EwsApi(Tenant tenant, Entra entra, Throttler throttler, Counters counters, FaultInjector faults, int maxSyncStates,
            Supplier<EwsServiceAccount> serviceAccount, java.util.function.BooleanSupplier hybrid) {
        this.hybrid = hybrid;
        this.tenant = tenant;
        this.entra = entra;
        this.throttler = throttler;
        this.counters = counters;
        this.faults = faults;
        this.syncStates = new SyncStates(maxSyncStates);
        this.operations = new EwsOperations(syncStates, tenant.meetingMessages);
        this.serviceAccount = serviceAccount;
    }

    /**
     * Exchange Online's EWS retirement, emulated: EWS switched off for the whole tenant (EWSEnabled False), for apps
     * not on the allow list (EwsApplicationAccessPolicy EnforceAllowList + EwsAllowList), or for single mailboxes
     * (Set-CASMailbox -EwsEnabled $false). App-only OAuth callers so blocked get HTTP 403; the on-premises style
     * service account is not affected (on-premises Exchange keeps EWS).
     */
    public record EwsBlocks(boolean tenant, Set<String> allowedApps, Set<String> blockedMailboxes) {
        public static final EwsBlocks NONE = new EwsBlocks(false, null, Set.of());

        boolean blocks(String appId, User user) {
            if (tenant) {
                return true;
            }
            if (allowedApps != null && !allowedApps.contains(appId)) {
                return true;
            }
            return blockedMailboxes.stream().anyMatch(m -> m.equalsIgnoreCase(user.userPrincipalName) || m.equalsIgnoreCase(user.id)
                    || (user.mail != null && m.equalsIgnoreCase(user.mail)));
        }
    }

    private volatile EwsBlocks blocks = EwsBlocks.NONE;

    public void setBlocks(EwsBlocks blocks) {
        this.blocks = blocks == null ? EwsBlocks.NONE : blocks;
    }

    /** Forgets SyncFolderItems states of a mailbox (null: all); their next use gets ErrorInvalidSyncStateData. */
    public void expireSyncStates(String userId) {
        syncStates.expire(userId);
    }

    /** Who is calling: an app (OAuth) or the service account (Basic). */
    private record Caller(String key, boolean oauth, boolean mayImpersonate, String basicUser) {
    }

    public Resp handle(Req req) {
        String operation = null;
        String mailbox = null;
        String callerKey = null;
        Resp resp;
        try {
            if (!"POST".equals(req.method)) {
                throw EwsException.http(405, "EWS accepts POST only.");
            }
            Caller caller = authenticate(req);
            callerKey = caller.key();
            Document doc;
            try {
                doc = EwsXml.parse(req.body);
            } catch (SAXException | IOException e) {
                throw EwsException.schema("the request is not well-formed XML: " + e.getMessage());
            }
            Element envelope = doc.getDocumentElement();
            if (!"Envelope".equals(envelope.getLocalName()) || !SOAP.equals(envelope.getNamespaceURI())) {
                throw EwsException.schema("the root element must be a SOAP 1.1 Envelope (" + SOAP + ")");
            }
            Element header = EwsXml.child(envelope, SOAP, "Header");
            Element body = EwsXml.child(envelope, SOAP, "Body");
            Element op = body == null ? null : EwsXml.elements(body).stream().findFirst().orElse(null);
            if (op == null || !EwsXml.MESSAGES.equals(op.getNamespaceURI())) {
                throw EwsException.schema("the SOAP Body must hold one operation in " + EwsXml.MESSAGES);
            }
            operation = op.getLocalName();
            Element version = t(header, "RequestServerVersion");
            if (version != null && !VERSIONS.contains(version.getAttribute("Version"))) {
                throw EwsException.fault("ErrorInvalidServerVersion", "The specified server version is invalid.");
            }
            User user = target(req, caller, t(header, "ExchangeImpersonation"));
            mailbox = user.userPrincipalName;
            if (caller.oauth() ? user.onPremises : hybrid.getAsBoolean() && !user.onPremises) {
                // hybrid: Exchange Online's EWS does not host an on-premises mailbox, the on-premises endpoint (the
                // service account) does not host a cloud mailbox
                throw nonExistentMailbox();
            }
            if (caller.oauth() && blocks.blocks(caller.key(), user)) {
                // what Exchange Online answers a blocked app: a bare 403 from the front end, no SOAP
                throw EwsException.http(403, "Forbidden");
            }
            if (!OPERATIONS.contains(operation)) {
                throw EwsException.fault("ErrorInvalidRequest", "The request is invalid. (The sandbox does not emulate " + operation + ".)");
            }
            resp = run(req, caller, user, operation, op);
        } catch (EwsException e) {
            resp = toResponse(e, operation);
        } catch (UncheckedIOException e) {
            throw e;
        } catch (RuntimeException e) {
            // a sandbox bug must still look like an EWS answer, not a dropped connection
            resp = toResponse(EwsException.fault("ErrorInternalServerError", "An internal server error occurred. The operation failed. "
                    + "(sandbox: " + e + ")"), operation);
        }
        counters.record("EWS " + (operation == null ? "(unparsed)" : operation), mailbox, callerKey, resp.status);
        return resp;
    }

    private Resp run(Req req, Caller caller, User user, String operation, Element op) {
        Predicate<String> mailboxMatch = m -> m.equalsIgnoreCase(user.id) || m.equalsIgnoreCase(user.userPrincipalName)
                || (user.mail != null && m.equalsIgnoreCase(user.mail));
        String path = req.rawPath.toLowerCase(Locale.ROOT) + "/" + operation.toLowerCase(Locale.ROOT);
        if (faults.fire(path, mailboxMatch, FaultRule.Kind.CONNECTION_RESET) != null) {
            throw new UncheckedIOException(new IOException("connection reset (injected fault)"));
        }
        boolean truncate = faults.fire(path, mailboxMatch, FaultRule.Kind.TRUNCATED_BODY) != null;
        try (Throttler.Permit permit = throttler.tryAcquire("ews|" + caller.key(), user.id)) {
            if (permit instanceof Throttler.Rejected rejected) {
                if (rejected.concurrency()) {
                    throw EwsException.fault("ErrorExceededConnectionCount", "You have exceeded the available concurrent connections for "
                            + "your account.  Try again once your other requests have completed.");
                }
                throw serverBusy(rejected.retryAfter());
            }
            FaultRule latency = faults.fire(path, mailboxMatch, FaultRule.Kind.LATENCY);
            if (latency != null) {
                sleep(latency.latencyMillis());
            }
            FaultRule status = faults.fire(path, mailboxMatch, FaultRule.Kind.STATUS);
            if (status != null) {
                throw injected(status);
            }
            boolean deadState = "SyncFolderItems".equals(operation)
                    && EwsXml.m(op, "SyncState") != null && !text(EwsXml.m(op, "SyncState")).isEmpty()
                    && faults.fire(path, mailboxMatch, FaultRule.Kind.DEAD_DELTA_TOKEN) != null;
            if (!user.hasMailbox()) {
                throw nonExistentMailbox();
            }
            EwsXml.Out o = new EwsXml.Out();
            envelopeStart(o);
            o.m(operation + "Response").ns("m", EwsXml.MESSAGES).ns("t", TYPES);
            o.m("ResponseMessages");
            EwsOperations.Call call = new EwsOperations.Call(op, user, user.mailbox(), o, deadState);
            try {
                switch (operation) {
                    case "GetItem" -> operations.getItem(call);
                    case "GetAttachment" -> operations.getAttachment(call);
                    case "SyncFolderItems" -> operations.syncFolderItems(call);
                    case "FindItem" -> operations.findItem(call);
                    case "CreateItem" -> operations.createItem(call);
                    case "UpdateItem" -> operations.updateItem(call);
                    case "DeleteItem" -> operations.deleteItem(call);
                    default -> throw new IllegalStateException(operation);
                }
            } catch (EwsException e) {
                if (e.kind != EwsException.Kind.RESPONSE) {
                    throw e;
                }
                EwsOperations.error(o, operation + "ResponseMessage", e, false);
            }
            o.end().end().end().end(); // ResponseMessages, XResponse, Body, Envelope
            Resp resp = Resp.bytes(200, o.finish(), "text/xml; charset=utf-8");
            resp.truncateBody = truncate;
            return resp;
        }
    }

    // ---- authentication and impersonation ----------------------------------------------------------------

    private Caller authenticate(Req req) {
        String auth = req.header("Authorization");
        EwsServiceAccount account = serviceAccount.get();
        if (auth == null || auth.isBlank()) {
            throw unauthorized(account, null);
        }
        if (auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            Principal p;
            try {
                p = entra.validate(auth, Entra.EXCHANGE_RESOURCE);
            } catch (GraphException e) {
                throw unauthorized(account, "2000001;reason=\"" + e.getMessage() + "\";error_category=\"invalid_token\"");
            }
            if (p.roles().isEmpty()) {
                throw unauthorized(account, "2000008;reason=\"The token contains no permissions, or permissions can not be understood.\";"
                        + "error_category=\"invalid_grant\"");
            }
            if (!p.hasAnyRole("full_access_as_app")) {
                throw EwsException.http(403, "The app has no full_access_as_app role for Exchange.");
            }
            return new Caller(p.appId(), true, true, null);
        }
        if (auth.regionMatches(true, 0, "Basic ", 0, 6) && account != null) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw unauthorized(account, null);
            }
            int colon = decoded.indexOf(':');
            String user = colon < 0 ? decoded : decoded.substring(0, colon);
            String pass = colon < 0 ? "" : decoded.substring(colon + 1);
            // DOMAIN\\user and user@domain are both accepted for the account name
            String bare = user.contains("\\") ? user.substring(user.indexOf('\\') + 1) : user;
            if (!account.matches(bare, pass) && !account.matches(user, pass)) {
                throw unauthorized(account, null);
            }
            return new Caller("basic:" + account.username(), false, account.mayImpersonate(), account.username());
        }
        throw unauthorized(account, null);
    }

    private static EwsException unauthorized(EwsServiceAccount account, String diagnostics) {
        EwsException e = EwsException.http(401, "401 Unauthorized")
                .header("WWW-Authenticate", "Bearer client_id=\"00000002-0000-0ff1-ce00-000000000000\", "
                        + "trusted_issuers=\"00000001-0000-0000-c000-000000000000@*\", token_types=\"app_asserted_user_v1 service_asserted_app_v1\", "
                        + "authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\"");
        if (account != null) {
            // a second challenge in its own header (clients pick the scheme they support)
            e.headers.put("WWW-Authenticate", e.headers.get("WWW-Authenticate") + "\nBasic realm=\"127.0.0.1\"");
        }
        if (diagnostics != null) {
            e.header("x-ms-diagnostics", diagnostics);
        }
        return e;
    }

    private User target(Req req, Caller caller, Element impersonation) {
        if (impersonation == null) {
            if (caller.oauth()) {
                throw EwsException.fault("ErrorInvalidExchangeImpersonationHeader",
                        "ExchangeImpersonation SOAP header must be present for this type of OAuth token.");
            }
            // Basic without impersonation: the service account's own mailbox
            return tenant.find(caller.basicUser()).filter(u -> u.hasMailbox()).orElseThrow(EwsApi::nonExistentMailbox);
        }
        if (!caller.mayImpersonate()) {
            throw EwsException.fault("ErrorImpersonateUserDenied", "The account does not have permission to impersonate the requested user.");
        }
        Element sid = t(impersonation, "ConnectingSID");
        String smtp = text(t(sid, "PrimarySmtpAddress"));
        if (smtp == null) {
            smtp = text(t(sid, "SmtpAddress"));
        }
        String upn = text(t(sid, "PrincipalName"));
        String key = smtp != null ? smtp : upn;
        if (key == null) {
            throw EwsException.fault("ErrorInvalidExchangeImpersonationHeader",
                    "The impersonation header must name PrimarySmtpAddress, SmtpAddress or PrincipalName (the sandbox does not resolve SIDs).");
        }
        if (caller.oauth()) {
            String anchor = req.header("X-AnchorMailbox");
            if (anchor == null || anchor.isBlank()) {
                throw EwsException.fault("ErrorInvalidRequest", "The X-AnchorMailbox header is required with app-only OAuth and "
                        + "ExchangeImpersonation; set it to the impersonated mailbox's SMTP address.");
            }
        }
        User user = tenant.find(key).orElseThrow(EwsApi::nonExistentMailbox);
        if (!user.hasMailbox()) {
            throw nonExistentMailbox();
        }
        return user;
    }

    private static EwsException nonExistentMailbox() {
        return EwsException.fault("ErrorNonExistentMailbox", "The SMTP address has no mailbox associated with it.");
    }

    // ---- throttling and faults ---------------------------------------------------------------------------

    private static EwsException serverBusy(String retryAfterSeconds) {
        long millis = retryAfterSeconds == null ? 30_000 : new BigDecimal(retryAfterSeconds).movePointRight(3).longValue();
        return EwsException.fault("ErrorServerBusy", "The server cannot service this request right now. Try again later.")
                .value("BackOffMilliseconds", Long.toString(millis));
    }

    private static EwsException injected(FaultRule rule) {
        if (rule.status() == 429) {
            return serverBusy(rule.retryAfter());
        }
        if (rule.status() == 500) {
            return EwsException.fault("ErrorInternalServerError", "An internal server error occurred. The operation failed. (injected fault)");
        }
        // 503 and the like come from the front end (IIS), not from EWS: no SOAP
        EwsException e = EwsException.http(rule.status(), "Service Unavailable (injected fault)");
        if (rule.retryAfter() != null) {
            e.header("Retry-After", rule.retryAfter());
        }
        return e;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- envelopes ------------------------------------------------------------------------------------------

    private static void envelopeStart(EwsXml.Out o) {
        o.start("s", SOAP, "Envelope").ns("s", SOAP);
        o.start("s", SOAP, "Header");
        o.start("h", TYPES, "ServerVersionInfo").ns("h", TYPES).ns("", TYPES)
                .ns("xsd", XMLConstants.W3C_XML_SCHEMA_NS_URI).ns("xsi", XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI)
                .attr("MajorVersion", "15").attr("MinorVersion", "20").attr("MajorBuildNumber", "8198")
                .attr("MinorBuildNumber", "27").attr("Version", "V2018_01_08").end();
        o.end();
        o.start("s", SOAP, "Body").ns("xsi", XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI).ns("xsd", XMLConstants.W3C_XML_SCHEMA_NS_URI);
    }

    private static Resp toResponse(EwsException e, String operation) {
        Resp r;
        switch (e.kind) {
            case HTTP -> r = Resp.text(e.httpStatus, e.getMessage());
            case RESPONSE -> {
                EwsXml.Out o = new EwsXml.Out();
                envelopeStart(o);
                String op = operation == null ? "GetItem" : operation;
                o.m(op + "Response").ns("m", EwsXml.MESSAGES).ns("t", TYPES);
                o.m("ResponseMessages");
                EwsOperations.error(o, op + "ResponseMessage", e, false);
                o.end().end().end().end();
                r = Resp.bytes(200, o.finish(), "text/xml; charset=utf-8");
            }
            default -> {
                EwsXml.Out o = new EwsXml.Out();
                o.start("s", SOAP, "Envelope").ns("s", SOAP);
                o.start("s", SOAP, "Body");
                o.start("s", SOAP, "Fault");
                o.start("", "", "faultcode").ns("a", TYPES).text("a:" + e.code).end();
                o.start("", "", "faultstring").attr("xml", XMLConstants.XML_NS_URI, "lang", "en-US").text(e.getMessage()).end();
                o.start("", "", "detail");
                o.start("e", EwsXml.ERRORS, "ResponseCode").ns("e", EwsXml.ERRORS).text(e.code).end();
                o.start("e", EwsXml.ERRORS, "Message").ns("e", EwsXml.ERRORS).text(e.getMessage()).end();
                if (!e.messageXml.isEmpty()) {
                    o.start("t", TYPES, "MessageXml").ns("t", TYPES);
                    e.messageXml.forEach((k, v) -> o.t("Value").attr("Name", k).text(v).end());
                    o.end();
                }
                o.end().end().end().end();
                r = Resp.bytes(500, o.finish(), "text/xml; charset=utf-8");
            }
        }
        e.headers.forEach(r::header);
        return r;
    }
}
