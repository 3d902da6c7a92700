package io.nexchange.state.jdbc.internal;

import io.nexchange.state.credentials.CredentialException;
import io.nexchange.state.credentials.CredentialStore;
import java.nio.file.Path;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code nexchange:credentials import FILE.csv | list | remove USERID|EMAIL | rotate-key [BATCH]}: the operator's hands on the
 * encrypted credential store. Gogo finds the method by the function name; the work is {@link CredentialsConsole}'s.
 */
@Component(service = CredentialsCommand.class, property = {
    "osgi.command.scope=nexchange",
    "osgi.command.function=credentials"
})
public final class CredentialsCommand {
    private final CredentialsConsole console;

    @Activate
    public CredentialsCommand(BundleContext context, @Reference CredentialStore store, @Reference CredentialKeyRotation rotation) {
        this.console = new CredentialsConsole(store, rotation, Path.of(StateDatabase.home(context.getProperty(StateDatabase.HOME_PROPERTY))));
    }

    public String credentials(String... args) throws CredentialException {
        return console.run(args);
    }
}
