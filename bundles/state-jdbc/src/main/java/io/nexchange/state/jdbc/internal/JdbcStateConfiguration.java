package io.nexchange.state.jdbc.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Nexchange state database",
        description = "Where Nexchange keeps its sync state, mailbox leases and encrypted Nextcloud app passwords."
                + " H2 embedded for one instance; one PostgreSQL database shared by all instances of a cluster.")
public @interface JdbcStateConfiguration {

    @AttributeDefinition(name = "JDBC URL", description = "jdbc:h2:file:... (embedded, one instance) or"
            + " jdbc:postgresql://host:port/database (shared by several instances). ${nexchange.base} is replaced"
            + " by the runtime's instance directory.")
    String url() default StateDatabase.DEFAULT_URL;

    @AttributeDefinition(name = "User", description = "Database user.")
    String user() default "nexchange";

    /** '.password': the leading dot keeps it out of the service properties, where any bundle could read it. */
    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD,
            description = "Database password, inline (property '.password'). Prefer 'password.file' or 'password.env'."
                    + " Set at most one of the three.")
    String _password() default "";

    @AttributeDefinition(name = "Password file", description = "File whose content is the database password.")
    String password_file() default "";

    @AttributeDefinition(name = "Password environment variable", description = "Environment variable holding the database password.")
    String password_env() default "";

    @AttributeDefinition(name = "Pool size", description = "Most connections open at once (HikariCP maximumPoolSize).", min = "1")
    int pool_size() default 10;

    @AttributeDefinition(name = "Connection timeout (ms)", description = "How long a caller waits for a pooled connection.", min = "250")
    long connection_timeout_ms() default 30_000;

    @AttributeDefinition(name = "Credential key file", description = "AES-256 key that encrypts the Nextcloud app"
            + " passwords; created (mode 0600) on first use. All instances sharing a database need a copy of the same file."
            + " ${nexchange.base} is replaced by the runtime's instance directory.")
    String credentials_key_file() default StateDatabase.DEFAULT_KEY_FILE;
}
