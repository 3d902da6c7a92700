package io.nexchange.ews.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Nexchange EWS store", description = "Exchange calendars and contacts through Exchange Web "
        + "Services: the endpoint, which registrations or service accounts serve the mailboxes, trust, paging and limits.")
public @interface EwsStoreConfiguration {

    @AttributeDefinition(description = "The EWS endpoint for app-only OAuth registrations (Exchange Online). On-premises "
            + "service accounts (io.nexchange.auth.ews.onprem) use their own ewsUrl.")
    String url() default "https://outlook.office365.com/EWS/Exchange.asmx";

    @AttributeDefinition(description = "Names of the Entra app registrations (io.nexchange.auth.entra-NAME, with the Office 365 "
            + "Exchange Online permission full_access_as_app) or on-premises service accounts (io.nexchange.auth.ews.onprem-NAME) "
            + "the mailboxes are spread over. A service account of a name wins over an app registration of the same name.")
    String[] registrations() default {"default"};

    @AttributeDefinition(description = "Hybrid organisations: names of the on-premises EWS service accounts "
            + "(io.nexchange.auth.ews.onprem-NAME). A mailbox that Exchange Online's EWS does not know (ErrorNonExistentMailbox: it "
            + "lives on-premises) is served through them, spread over them like the registrations. Empty: not hybrid.",
            required = false)
    String[] onPremisesAccounts() default {};

    @AttributeDefinition(description = "RequestServerVersion sent with every request (Exchange2013_SP1 works with Exchange "
            + "2013 and later and Exchange Online).")
    String serverVersion() default "Exchange2013_SP1";

    @AttributeDefinition(description = "Changes per SyncFolderItems page (MaxChangesReturned, 1-512).")
    int pageSize() default 200;

    @AttributeDefinition(description = "Items per GetItem request.")
    int getItemBatch() default 50;

    @AttributeDefinition(description = "Days before today the synchronised calendar window starts (as the Graph store).")
    int windowDaysBack() default 30;

    @AttributeDefinition(description = "Days after today the synchronised calendar window ends (as the Graph store).")
    int windowDaysAhead() default 365;

    @AttributeDefinition(description = "Time zone (IANA) for floating times and all-day events written to Exchange.")
    String mailboxTimeZone() default "UTC";

    @AttributeDefinition(description = "The largest EWS answer read, in bytes; a larger one fails the request.")
    int maxResponseBytes() default 67_108_864;

    @AttributeDefinition(description = "PKCS#12 truststore for the EWS server's certificate (empty: the JDK's trusted CAs).")
    String truststorePath() default "";

    @AttributeDefinition(description = "Password of the truststore.", type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD)
    String truststorePassword() default "";

    @AttributeDefinition(description = "A file holding the truststore password (wins over truststorePassword).")
    String truststorePasswordFile() default "";

    @AttributeDefinition(description = "Seconds to connect.")
    int connectTimeoutSeconds() default 10;

    @AttributeDefinition(description = "Seconds one request may take.")
    int readTimeoutSeconds() default 100;

    @AttributeDefinition(description = "Seconds a request waits for a throttling permit of its mailbox before the mailbox is "
            + "left for a later turn.")
    int throttleMaxWaitSeconds() default 30;
}
