package io.nexchange.auth.entra.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The EWS service account of an on-premises Exchange server, one file per account:
 * {@code etc/io.nexchange.auth.ews.onprem-hq.cfg}. The password comes from a file or an environment
 * variable; inline it goes into {@code .password} (not a service property).
 */
@ObjectClassDefinition(pid = EwsOnPremComponent.PID, name = "Nexchange EWS on-premises service account",
        description = "User name and password of the account that impersonates mailboxes through EWS (ApplicationImpersonation role).")
public @interface EwsOnPremConfiguration {
    @AttributeDefinition(required = false, description = "Name of the account (service property nexchange.registration); "
            + "default: the name after the '-' of the .cfg file")
    String registration() default "";

    @AttributeDefinition(description = "EWS URL, e.g. https://mail.example.com/EWS/Exchange.asmx")
    String ewsUrl();

    @AttributeDefinition(description = "Login: a UPN (svc-sync@example.com) or a user name with domain")
    String username();

    @AttributeDefinition(required = false, description = "NT domain for NTLM; empty with a UPN")
    String domain() default "";

    @AttributeDefinition(required = false, type = AttributeType.PASSWORD, description = "Password, inline (key '.password'). Prefer passwordFile")
    String _password() default "";

    @AttributeDefinition(required = false, description = "File holding the password (first line)")
    String passwordFile() default "";

    @AttributeDefinition(required = false, description = "Environment variable holding the password")
    String passwordEnv() default "";
}
