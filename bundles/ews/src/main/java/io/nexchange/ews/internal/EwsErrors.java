package io.nexchange.ews.internal;

import io.nexchange.api.source.CursorExpiredException;
import io.nexchange.api.source.ItemRejectedException;
import io.nexchange.api.source.MailboxNotServedException;
import io.nexchange.api.source.PreconditionFailedException;
import io.nexchange.api.source.StoreException;
import io.nexchange.ews.internal.soap.XmlElement;

/** EWS answers as StoreExceptions whose messages name what to fix. */
final class EwsErrors {
    private EwsErrors() {
    }

    /**
     * EWS is switched off for the tenant, the app or the mailbox: HTTP 403 or ErrorAccessDenied. The engine's automatic
     * routing moves the mailbox to Graph when Graph serves it.
     */
    static final class EwsBlockedException extends MailboxNotServedException {
        private static final long serialVersionUID = 1L;

        EwsBlockedException(String message) {
            super(message, Reason.BLOCKED, null);
        }
    }

    /** The mailbox is not on this EWS endpoint (ErrorNonExistentMailbox): in a hybrid organisation, on the other side. */
    static boolean elsewhere(StoreException e) {
        return e instanceof MailboxNotServedException m && m.reason() == MailboxNotServedException.Reason.ELSEWHERE;
    }

    static StoreException unauthorized(EwsCredentials credentials, String mailbox) {
        if (credentials.oauth()) {
            return new StoreException("EWS refused the token of app registration '" + credentials.registration() + "' for " + mailbox
                    + " (HTTP 401): in Microsoft Entra ID give the app the Office 365 Exchange Online application permission "
                    + "full_access_as_app and grant admin consent; check that the token is for https://outlook.office365.com", false);
        }
        return new StoreException("EWS at " + credentials.endpoint() + " refused service account '" + credentials.registration()
                + "' (HTTP 401): check username, domain and password of io.nexchange.auth.ews.onprem-" + credentials.registration()
                + ", and that Basic authentication is enabled on the EWS virtual directory", false);
    }

    static StoreException blocked(EwsCredentials credentials, String mailbox, String detail) {
        if (credentials.oauth()) {
            return new EwsBlockedException("EWS is blocked for app registration '" + credentials.registration() + "' on " + mailbox
                    + (detail == null ? " (HTTP 403)" : " (" + detail + ")") + ". Exchange Online allows EWS only where the tenant "
                    + "setting EWSEnabled is True and the app is on the EWS allow list: Set-OrganizationConfig -EwsEnabled $true "
                    + "-EwsApplicationAccessPolicy EnforceAllowList -EwsAllowList @{Add='<app name>'}; per mailbox: "
                    + "Set-CASMailbox " + mailbox + " -EwsEnabled $true. (A 403 also comes when the app lacks the Office 365 "
                    + "Exchange Online permission full_access_as_app.) Otherwise sync this mailbox through Graph (backend graph).");
        }
        return new EwsBlockedException("EWS at " + credentials.endpoint() + " refused service account '" + credentials.registration()
                + "' access to " + mailbox + (detail == null ? " (HTTP 403)" : " (" + detail + ")") + ": give the account the "
                + "ApplicationImpersonation management role (New-ManagementRoleAssignment -Role ApplicationImpersonation -User "
                + "<account>) and check that EWS is enabled for the mailbox (Set-CASMailbox -EwsEnabled $true) and the "
                + "organisation (Set-OrganizationConfig -EwsEnabled $true, EwsApplicationAccessPolicy/EwsAllowList)");
    }

    /** A SOAP fault that is not throttling. */
    static StoreException fault(EwsCredentials credentials, String mailbox, String operation, String code, String text) {
        return switch (code == null ? "" : code) {
            case "ErrorAccessDenied" -> blocked(credentials, mailbox, "ErrorAccessDenied: " + text);
            case "ErrorImpersonateUserDenied", "ErrorImpersonationDenied" -> new StoreException("EWS refused to let '"
                    + credentials.registration() + "' impersonate " + mailbox + " (" + code + "): " + (credentials.oauth()
                    ? "the app needs the full_access_as_app permission with admin consent (and no application access policy "
                    + "excluding the mailbox)" : "give the service account the ApplicationImpersonation role"), false);
            case "ErrorNonExistentMailbox" -> new MailboxNotServedException("EWS at " + credentials.endpoint() + " has no mailbox "
                    + mailbox + " (ErrorNonExistentMailbox): in a hybrid organisation a mailbox is served by the side it lives on; "
                    + "name the on-premises EWS service accounts in onPremisesAccounts of io.nexchange.ews, or sync the mailbox "
                    + "through the backend of its side", MailboxNotServedException.Reason.ELSEWHERE, null);
            case "ErrorInvalidServerVersion" -> new StoreException("EWS at " + credentials.endpoint() + " does not speak the requested "
                    + "RequestServerVersion (serverVersion of io.nexchange.ews): " + text, false);
            case "ErrorInternalServerError", "ErrorMailboxMoveInProgress", "ErrorMailboxStoreUnavailable", "ErrorTimeoutExpired" ->
                    new StoreException("EWS failed " + operation + " for " + mailbox + " (" + code + "): " + text, true);
            default -> new StoreException("EWS failed " + operation + " for " + mailbox + " (" + code + "): " + text, false);
        };
    }

    /** The response code of a response message (NoError for success). */
    static String code(XmlElement message) {
        String code = message.childText("ResponseCode");
        return code == null ? ("Success".equals(message.attribute("ResponseClass")) ? "NoError" : "ErrorUnknown") : code.trim();
    }

    static boolean ok(XmlElement message) {
        return "NoError".equals(code(message));
    }

    /** Response codes that refuse what one item holds (its times, recurrence, recipients, size), not the mailbox. */
    static final java.util.Set<String> ITEM_REFUSALS = java.util.Set.of("ErrorCalendarDurationIsTooLong",
            "ErrorCalendarEndDateIsEarlierThanStartDate", "ErrorCalendarInvalidDayForTimeChangePattern",
            "ErrorCalendarInvalidDayForWeeklyRecurrence", "ErrorCalendarInvalidPropertyState", "ErrorCalendarInvalidRecurrence",
            "ErrorCalendarInvalidTimeZone", "ErrorCalendarOccurrenceIndexIsOutOfRecurrenceRange", "ErrorInvalidRecipients",
            "ErrorValueOutOfRange", "ErrorSchemaValidation", "ErrorMessageSizeExceeded");

    /** A failed response message as an exception; {@code what} says what was attempted. */
    static StoreException of(EwsCredentials credentials, String mailbox, String what, XmlElement message) {
        String code = code(message);
        String text = message.childText("MessageText");
        return switch (code) {
            case "ErrorInvalidSyncStateData", "ErrorInvalidSyncStateDataException" -> new CursorExpiredException("EWS no longer knows the "
                    + "sync state of " + mailbox + " (" + code + "); the folder is read again from the start");
            case "ErrorIrresolvableConflict", "ErrorChangeKeyRequiredForWriteOperations", "ErrorStaleObject" ->
                    new PreconditionFailedException("The item of " + mailbox + " changed since it was read (" + code + "); " + what
                            + " was not done");
            case "ErrorItemNotFound" -> new PreconditionFailedException("The item of " + mailbox + " is gone (ErrorItemNotFound); "
                    + what + " was not done");
            default -> ITEM_REFUSALS.contains(code)
                    // the item's content, not the mailbox: the engine quarantines the item until it changes
                    ? new ItemRejectedException("EWS refused the item of " + mailbox + " (" + code + "): " + text + "; " + what
                            + " was not done")
                    : fault(credentials, mailbox, what, code, text);
        };
    }
}
