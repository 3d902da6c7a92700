package io.nexchange.auth.entra.internal;

import io.nexchange.api.auth.TokenProvider;
import io.nexchange.auth.entra.EwsServiceAccount;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * {@code nexchange:auth-check [registration]}: checks every app registration (or the one named) the way
 * {@link AuthCheck} describes and prints the findings; also lists the EWS service accounts. A Gogo
 * {@link Function} because a hyphenated command name cannot be a method name. Registrations are looked
 * up when the command runs, so the command holds no references.
 */
@Component(service = Function.class, property = {"osgi.command.scope=nexchange", "osgi.command.function=auth-check"})
public final class AuthCheckCommand implements Function {
    private final BundleContext context;

    @Activate
    public AuthCheckCommand(BundleContext context) {
        this.context = context;
    }

    @Override
    public Object execute(CommandSession session, List<Object> arguments) throws Exception {
        String wanted = arguments.isEmpty() ? null : String.valueOf(arguments.get(0));
        return run(wanted);
    }

    String run(String wanted) throws InvalidSyntaxException {
        List<EntraTokenProvider> providers = new ArrayList<>();
        List<ServiceReference<TokenProvider>> references = new ArrayList<>(context.getServiceReferences(TokenProvider.class, null));
        StringBuilder out = new StringBuilder();
        for (ServiceReference<TokenProvider> reference : references) {
            TokenProvider provider = context.getService(reference);
            try {
                if (provider != null && AuthCheck.matches(provider, wanted)) {
                    if (provider instanceof EntraTokenProvider entra) {
                        providers.add(entra);
                    } else {
                        out.append("Registration '").append(provider.registration()).append("' is provided by another bundle (")
                                .append(reference.getBundle().getSymbolicName()).append("); not checked here\n");
                    }
                }
            } finally {
                context.ungetService(reference);
            }
        }
        providers.sort(java.util.Comparator.comparing(EntraTokenProvider::registration));
        out.append(report(providers, ewsAccounts(wanted), wanted));
        return out.toString();
    }

    /** The text of the command, for a given set of registrations (the seam the tests use). */
    static String report(Collection<EntraTokenProvider> providers, Collection<EwsServiceAccount> ewsAccounts, String wanted) {
        StringBuilder out = new StringBuilder();
        if (providers.isEmpty() && ewsAccounts.isEmpty()) {
            return wanted == null
                    ? "No app registration is configured: add etc/io.nexchange.auth.entra-NAME.cfg (see the auth-entra README)\n"
                    : "No registration named '" + wanted + "'\n";
        }
        AuthCheck check = new AuthCheck(Clock.systemUTC());
        for (EntraTokenProvider provider : providers) {
            AuthCheck.Report report = check.run(provider);
            out.append(report.toText());
            out.append("  configuration:\n").append(ConfigDump.redacted(provider.state().config(), provider.state().undeclared()));
        }
        for (EwsServiceAccount account : ewsAccounts) {
            out.append("EWS service account '").append(account.name()).append("': ").append(account).append(", password ")
                    .append(account.password().isEmpty() ? "EMPTY" : "set").append('\n');
        }
        return out.toString();
    }

    private List<EwsServiceAccount> ewsAccounts(String wanted) throws InvalidSyntaxException {
        List<EwsServiceAccount> accounts = new ArrayList<>();
        for (ServiceReference<EwsServiceAccount> reference : context.getServiceReferences(EwsServiceAccount.class, null)) {
            EwsServiceAccount account = context.getService(reference);
            if (account != null && (wanted == null || wanted.equalsIgnoreCase(account.name()))) {
                accounts.add(account);
            }
            context.ungetService(reference);
        }
        return accounts;
    }
}
