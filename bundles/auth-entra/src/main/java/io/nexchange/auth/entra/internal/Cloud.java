package io.nexchange.auth.entra.internal;

import io.nexchange.api.auth.TokenProvider;
import java.util.Locale;

/**
 * The Microsoft clouds an app registration can live in: each has its own Entra host, Graph host and
 * Exchange Online host (https://learn.microsoft.com/graph/deployments). CUSTOM is any other authority
 * (the sandbox, or a test tenant behind a proxy); it needs the authority and the Graph URL configured.
 */
enum Cloud {
    GLOBAL("https://login.microsoftonline.com/", "https://graph.microsoft.com", "https://outlook.office365.com"),
    US_GOVERNMENT("https://login.microsoftonline.us/", "https://graph.microsoft.us", "https://outlook.office365.us"),
    CHINA("https://login.chinacloudapi.cn/", "https://microsoftgraph.chinacloudapi.cn", "https://partner.outlook.cn"),
    CUSTOM(null, null, null);

    private final String loginHost;
    private final String graphResource;
    private final String exchangeResource;

    Cloud(String loginHost, String graphResource, String exchangeResource) {
        this.loginHost = loginHost;
        this.graphResource = graphResource;
        this.exchangeResource = exchangeResource;
    }

    /** Accepts the names an operator is likely to write. */
    static Cloud parse(String value) {
        switch (value.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "").replace(" ", "")) {
            case "global": case "public": case "azurecloud": case "":
                return GLOBAL;
            case "usgov": case "usgovernment": case "gcchigh": case "dod": case "azureusgovernment":
                return US_GOVERNMENT;
            case "china": case "azurechina": case "21vianet":
                return CHINA;
            case "custom":
                return CUSTOM;
            default:
                throw new IllegalArgumentException(value);
        }
    }

    /** The authority of a tenant, with the trailing slash msal4j expects; null for CUSTOM. */
    String authority(String tenantId) {
        return loginHost == null ? null : loginHost + tenantId + "/";
    }

    String graphBaseUrl() {
        return graphResource;
    }

    /**
     * The scope to ask for: callers use the global scopes of {@link TokenProvider}; in a national cloud
     * the same resource has another host.
     */
    String translateScope(String scope) {
        if (this == US_GOVERNMENT || this == CHINA) {
            if (TokenProvider.GRAPH_SCOPE.equalsIgnoreCase(scope)) {
                return graphResource + "/.default";
            }
            if (TokenProvider.EWS_SCOPE.equalsIgnoreCase(scope)) {
                return exchangeResource + "/.default";
            }
        }
        return scope;
    }
}
