package io.nexchange.graph.directory.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Nexchange Graph mailbox directory", description = "Which mailboxes of the organisation"
        + " are synchronised, read from Microsoft Graph /users (needs User.Read.All), optionally limited to a group's members.")
public @interface GraphMailboxDirectoryConfiguration {

    @AttributeDefinition(description = "App registration (TokenProvider name) that lists the users.")
    String registration() default "default";

    @AttributeDefinition(description = "Mail domains in scope; empty: every domain.")
    String[] domains() default {};

    @AttributeDefinition(description = "Addresses in scope; empty: everyone in the domains.")
    String[] include() default {};

    @AttributeDefinition(description = "Addresses never synchronised.")
    String[] exclude() default {};

    @AttributeDefinition(description = "Only members of this group (also through nested groups) are synchronised: the"
            + " group's object id, mail address or display name; empty: no group limit. Needs the Microsoft Graph"
            + " application permission GroupMember.Read.All. Domains, include and exclude still apply.")
    String group() default "";
}
