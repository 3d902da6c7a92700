package io.nexchange.api.auth;

/**
 * What went wrong getting or using a token, each with the setup step that fixes it. The texts are
 * what operators read; keep them actionable.
 */
public enum AuthProblem {
    TENANT_NOT_FOUND("the tenant id is wrong",
            "set tenantId to the Directory (tenant) ID shown on the app registration's Overview page in Microsoft Entra ID"),
    APPLICATION_NOT_FOUND("the client id is not an application in this tenant",
            "set clientId to the Application (client) ID shown on the app registration's Overview page"),
    INVALID_SECRET("the client secret is wrong",
            "in Certificates & secrets create a new client secret and copy its Value (not its Secret ID) into the configuration"),
    SECRET_EXPIRED("the client secret has expired",
            "in Certificates & secrets create a new client secret and replace the expired one in the configuration"),
    INVALID_CERTIFICATE("the certificate was not accepted",
            "upload the certificate's public part under Certificates & secrets, and check the configured key and password"),
    INVALID_SCOPE("the requested scope is not valid",
            "use https://graph.microsoft.com/.default for Graph or https://outlook.office365.com/.default for EWS"),
    CONSENT_NOT_GRANTED("admin consent not granted",
            "in API permissions click 'Grant admin consent for <tenant>' (needs a Global or Privileged Role Administrator)"),
    PERMISSION_MISSING("an application permission is missing",
            "in API permissions add the missing Microsoft Graph application permission, then grant admin consent"),
    MAILBOX_NOT_LICENSED("the user has no Exchange Online mailbox",
            "assign the user an Exchange Online licence, or exclude them from sync"),
    SERVICE_UNAVAILABLE("Microsoft Entra ID did not answer",
            "nothing to change in the setup; the request is retried"),
    CONFIGURATION_INVALID("the configuration is incomplete",
            "complete the app registration's configuration file in etc/");

    private final String summary;
    private final String fix;

    AuthProblem(String summary, String fix) {
        this.summary = summary;
        this.fix = fix;
    }

    /** One line: what is wrong. */
    public String summary() {
        return summary;
    }

    /** One line: the setup step that fixes it. */
    public String fix() {
        return fix;
    }
}
