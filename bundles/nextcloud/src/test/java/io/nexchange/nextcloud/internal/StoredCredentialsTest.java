package io.nexchange.nextcloud.internal;

import static io.nexchange.nextcloud.internal.DavFixtures.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.nexchange.api.Account;
import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.Mailbox;
import io.nexchange.api.auth.Secret;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.source.ChangePage;
import io.nexchange.api.source.Cursor;
import io.nexchange.api.source.Owner;
import io.nexchange.api.source.StoreException;
import io.nexchange.nextcloud.credentials.DavLogin;
import io.nexchange.state.credentials.NextcloudCredential;
import io.nexchange.state.jdbc.internal.DataSources;
import io.nexchange.state.jdbc.internal.JdbcCredentialStore;
import io.nexchange.state.jdbc.internal.SchemaMigrator;
import io.nexchange.testing.radicale.RadicaleExtension;
import io.nexchange.testing.radicale.RadicaleServer;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logins from the real encrypted credential store (state-jdbc's JDBC store on H2 in a temp dir), against a
 * real Radicale where the tests need a server to accept or reject them.
 */
@ExtendWith(RadicaleExtension.class)
class StoredCredentialsTest {
    @TempDir
    Path instance;

    private HikariDataSource pool;
    private JdbcCredentialStore store;

    @BeforeEach
    void openStore() throws Exception {
        pool = DataSources.pool("jdbc:h2:file:" + instance.resolve("data/state"), "nexchange", Secret.of(""), 2, 10_000);
        new SchemaMigrator(pool, "test").migrate();
        store = new JdbcCredentialStore(pool, instance.resolve("data/credentials.key"));
    }

    @AfterEach
    void closeStore() {
        pool.close();
    }

    private static Owner owner(String user) {
        return new Owner(new Mailbox(user + "-id", user + "@example.org", user), account(user));
    }

    private static Account account(String user) {
        return new Account(user, user + "@example.org", user);
    }

    @Test
    void aUserWhoseLoginIsOnlyInTheStoreDiscoversWritesAndReads(RadicaleServer radicale) throws Exception {
        radicale.addUser("stella", "Stella-AppPw-91x");
        store.importCsv(new StringReader("email,username,app_password\nStella@Example.org,stella,Stella-AppPw-91x\n"));
        try (DavItemStore dav = DavFixtures.store(radicale.baseUrl(), new StoredCredentials(store, Optional.empty()))) {
            Owner stella = owner("stella");
            CollectionRef calendar = dav.ensureCollection(stella, CollectionKind.CALENDAR, "");
            assertEquals("/stella/personal/", calendar.id());
            dav.target(stella, calendar).create(ItemKey.event("standup"), event("standup", "Standup"));
            ChangePage page = dav.source(stella, calendar).changes(Cursor.INITIAL);
            assertEquals(1, page.changes().size());
            assertEquals("standup", page.changes().get(0).key().value());
        }
    }

    @Test
    void aRejectedPasswordIsNamedByUserNotByValueAndAnImportedReplacementWorksWithoutRestart(RadicaleServer radicale) throws Exception {
        radicale.addUser("rita", "Rita-Right-Pw-55");
        store.put(new NextcloudCredential("rita@example.org", "rita", Secret.of("Rita-Revoked-Pw-44")));
        try (DavItemStore dav = DavFixtures.store(radicale.baseUrl(), new StoredCredentials(store, Optional.empty()))) {
            StoreException rejected = assertThrows(StoreException.class, () -> dav.collections(owner("rita"), CollectionKind.CALENDAR));
            assertTrue(rejected.getMessage().contains("HTTP 401") && rejected.getMessage().contains("'rita'")
                    && rejected.getMessage().contains("import it with nexchange:credentials import FILE.csv"), rejected.getMessage());
            assertFalse(rejected.getMessage().contains("Rita-Revoked-Pw-44"), rejected.getMessage());
            assertFalse(rejected.isTransient());

            store.importCsv(new StringReader("rita@example.org,rita,Rita-Right-Pw-55\n"));
            assertEquals(0, dav.collections(owner("rita"), CollectionKind.CALENDAR).size(), "logged in with the new password");
        }
        assertFalse(radicale.logText().contains("Rita-Revoked-Pw-44") || radicale.logText().contains("Rita-Right-Pw-55"));
    }

    @Test
    void theStoredPasswordWinsAndTheConfiguredLoginsAnswerForUsersWithout() throws Exception {
        Path folder = Files.createDirectories(instance.resolve("app-passwords"));
        Files.writeString(folder.resolve("paul"), "Paul-Folder-Pw\n");
        Files.writeString(folder.resolve("quinn"), "Quinn-Folder-Pw\n");
        ConfiguredCredentials configured = new ConfiguredCredentials(Optional.empty(), Optional.of(folder));
        store.put(new NextcloudCredential("paul@example.org", "paul", Secret.of("Paul-Stored-Pw")));
        StoredCredentials credentials = new StoredCredentials(store, Optional.of(configured));

        assertEquals(new DavLogin("paul", Secret.of("Paul-Stored-Pw")), credentials.login(account("paul")));
        assertEquals(new DavLogin("quinn", Secret.of("Quinn-Folder-Pw")), credentials.login(account("quinn")));

        StoreException neither = assertThrows(StoreException.class, () -> credentials.login(account("nina")));
        assertEquals("No app password for Nextcloud account 'nina': put it in " + folder.resolve("nina") + ", or configure a service"
                + " account in io.nexchange.nextcloud.credentials; or import an app password for nina with nexchange:credentials"
                + " import FILE.csv (a line nina@example.org,nina,APP_PASSWORD)", neither.getMessage());

        ConfiguredCredentials serviceAccount = new ConfiguredCredentials(Optional.of(new DavLogin("svc", Secret.of("Svc-Pw"))), Optional.empty());
        assertEquals("svc", new StoredCredentials(store, Optional.of(serviceAccount)).login(account("nina")).username());
    }

    @Test
    void withoutAStoredPasswordOrConfiguredLoginsTheMessageNamesTheUserAndTheFix() {
        StoreException missing = assertThrows(StoreException.class,
                () -> new StoredCredentials(store, Optional.empty()).login(new Account("olga.k", "olga@example.org", "Olga")));
        assertEquals("No app password for Nextcloud account 'olga.k' <olga@example.org> in the credential store: import an app"
                + " password for olga.k with nexchange:credentials import FILE.csv (a line olga@example.org,olga.k,APP_PASSWORD)",
                missing.getMessage());
        assertFalse(missing.isTransient());
    }

    @Test
    void aPasswordStoredForAnotherLoginIsRefusedSoNoOneWritesIntoSomeoneElsesCalendars() throws Exception {
        store.put(new NextcloudCredential("alice@example.org", "mallory", Secret.of("Mallory-Pw-1")));
        StoreException refused = assertThrows(StoreException.class, () -> new StoredCredentials(store, Optional.empty()).login(account("alice")));
        assertTrue(refused.getMessage().startsWith("The app password stored for alice@example.org belongs to Nextcloud user 'mallory',"
                + " but the account directory maps alice@example.org to user 'alice'"), refused.getMessage());
        assertFalse(refused.getMessage().contains("Mallory-Pw-1"));

        // Nextcloud logins are case-insensitive: a differently cased user id is the same user
        store.put(new NextcloudCredential("bert@example.org", "Bert", Secret.of("Bert-Pw-1")));
        assertEquals("Bert", new StoredCredentials(store, Optional.empty()).login(account("bert")).username());
    }

    @Test
    void anUnreadableStoreSaysWhyAndNeverFallsBackSilently() throws Exception {
        store.put(new NextcloudCredential("kim@example.org", "kim", Secret.of("Kim-Pw-1")));
        Files.delete(instance.resolve("data/credentials.key"));
        JdbcCredentialStore keyLost = new JdbcCredentialStore(pool, instance.resolve("data/credentials.key"));
        ConfiguredCredentials serviceAccount = new ConfiguredCredentials(Optional.of(new DavLogin("svc", Secret.of("Svc-Pw"))), Optional.empty());
        StoreException unreadable = assertThrows(StoreException.class,
                () -> new StoredCredentials(keyLost, Optional.of(serviceAccount)).login(account("kim")));
        assertTrue(unreadable.getMessage().startsWith("Cannot read the stored app password of Nextcloud account 'kim' <kim@example.org>:"
                + " credential key file"), unreadable.getMessage());
        assertTrue(unreadable.getMessage().contains("restore that key file"), unreadable.getMessage());
        assertFalse(unreadable.isTransient());
    }
}
