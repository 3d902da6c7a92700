package io.nexchange.auth.entra.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One Microsoft Entra app registration ("admin account"), one file per registration:
 * {@code etc/io.nexchange.auth.entra-contoso.cfg}. Secrets: prefer {@code clientSecretFile} or
 * {@code clientSecretEnv}; an inline secret goes into {@code .clientSecret} (a leading dot keeps it out of
 * the service properties every bundle can read). {@link RegistrationSettings} reads these keys.
 */
@ObjectClassDefinition(pid = EntraRegistrationComponent.PID, name = "Nexchange Entra app registration",
        description = "Client-credentials tokens of one app registration in Microsoft Entra ID (client secret or certificate).")
public @interface EntraRegistrationConfiguration {
    @AttributeDefinition(required = false, description = "Name of the registration (service property nexchange.registration); "
            + "default: the name after the '-' of the .cfg file")
    String registration() default "";

    @AttributeDefinition(description = "Directory (tenant) ID from the app registration's Overview page")
    String tenantId();

    @AttributeDefinition(description = "Application (client) ID from the app registration's Overview page")
    String clientId();

    @AttributeDefinition(required = false, type = AttributeType.PASSWORD,
            description = "Client secret value, inline (key '.clientSecret': not a service property). Prefer clientSecretFile")
    String _clientSecret() default "";

    @AttributeDefinition(required = false, description = "File holding the client secret value (first line)")
    String clientSecretFile() default "";

    @AttributeDefinition(required = false, description = "Environment variable holding the client secret value")
    String clientSecretEnv() default "";

    @AttributeDefinition(required = false, description = "The secret's 'Expires' date from Certificates & secrets (yyyy-MM-dd); "
            + "used to warn ahead and to name the date when Entra reports it expired")
    String clientSecretExpires() default "";

    @AttributeDefinition(required = false, description = "Certificate with private key instead of a secret: PKCS#12 (.p12/.pfx) "
            + "or PEM (PKCS#8 key and certificate in one file)")
    String certificateFile() default "";

    @AttributeDefinition(required = false, type = AttributeType.PASSWORD, description = "Password of the certificate file (key '.certificatePassword')")
    String _certificatePassword() default "";

    @AttributeDefinition(required = false, description = "File holding the certificate password")
    String certificatePasswordFile() default "";

    @AttributeDefinition(required = false, description = "Environment variable holding the certificate password")
    String certificatePasswordEnv() default "";

    @AttributeDefinition(description = "global, usgov, china or custom")
    String cloud() default "global";

    @AttributeDefinition(required = false, description = "For cloud=custom: the authority URL (https), e.g. https://login.example.test/{tenant}/")
    String authority() default "";

    @AttributeDefinition(required = false, description = "Microsoft Graph base URL; default: the cloud's (https://graph.microsoft.com)")
    String graphBaseUrl() default "";

    @AttributeDefinition(required = false, description = "Truststore (PKCS#12 or JKS) for a custom authority and its Graph; default: the JVM's")
    String truststore() default "";

    @AttributeDefinition(required = false, type = AttributeType.PASSWORD, description = "Truststore password (key '.truststorePassword')")
    String _truststorePassword() default "";

    @AttributeDefinition(required = false, description = "File holding the truststore password")
    String truststorePasswordFile() default "";

    @AttributeDefinition(description = "Scopes kept warm: https://graph.microsoft.com/.default (Graph), "
            + "https://outlook.office365.com/.default (EWS in Exchange Online)")
    String[] scopes() default {"https://graph.microsoft.com/.default"};

    @AttributeDefinition(description = "Refresh a token this many seconds before it expires (at most half its lifetime)")
    int refreshAheadSeconds() default 300;

    @AttributeDefinition(required = false, description = "Mailbox (UPN) whose calendar and contacts nexchange:auth-check reads; "
            + "default: the first user of the directory")
    String probeMailbox() default "";
}
