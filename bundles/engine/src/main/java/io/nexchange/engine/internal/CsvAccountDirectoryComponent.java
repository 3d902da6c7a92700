package io.nexchange.engine.internal;

import io.nexchange.api.Mailbox;
import io.nexchange.api.directory.AccountDirectory;
import io.nexchange.api.directory.DirectoryException;
import io.nexchange.api.directory.Resolution;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/** The CSV mapping file as the AccountDirectory service; active only when configured. */
@Component(name = "io.nexchange.engine.accounts.csv", configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = CsvAccountDirectoryConfiguration.class)
public final class CsvAccountDirectoryComponent implements AccountDirectory {
    private final CsvAccountDirectory directory;

    @Activate
    public CsvAccountDirectoryComponent(CsvAccountDirectoryConfiguration config, BundleContext context) {
        this.directory = new CsvAccountDirectory(InstanceDirectory.resolve(context, config.mappingFile()));
    }

    @Override
    public Resolution resolve(Mailbox mailbox) throws DirectoryException {
        return directory.resolve(mailbox);
    }
}
