package io.nexchange.state.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.auth.Secret;
import io.nexchange.api.state.StateException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings that reach operators: URL placeholders, the password sources, driver and URL errors, script parsing. */
class ConfigurationTest {
    @TempDir
    Path directory;

    @Test
    void theHomePlaceholderFallsBackToARelativePath() {
        assertEquals("jdbc:h2:file:/opt/nexchange/data/state",
                StateDatabase.expandHome(StateDatabase.DEFAULT_URL, StateDatabase.home("/opt/nexchange/")));
        assertEquals("jdbc:h2:file:./data/state",
                StateDatabase.expandHome(StateDatabase.DEFAULT_URL, StateDatabase.home(null)));
        assertEquals("./data/credentials.key",
                StateDatabase.expandHome(StateDatabase.DEFAULT_KEY_FILE, StateDatabase.home(" ")));
    }

    @Test
    void thePasswordComesInlineFromAFileOrFromTheEnvironment() throws Exception {
        Path file = directory.resolve("password");
        Files.writeString(file, "from-file\n");
        Map<String, String> environment = Map.of("NEXCHANGE_DB_PASSWORD", "from-env");
        assertEquals("inline", SecretSource.resolve("password", "inline", "", "", environment::get).reveal());
        assertEquals("from-file", SecretSource.resolve("password", "", file.toString(), "", environment::get).reveal());
        assertEquals("from-env", SecretSource.resolve("password", "", "", "NEXCHANGE_DB_PASSWORD", environment::get).reveal());
        assertTrue(SecretSource.resolve("password", "", "", "", environment::get).isEmpty());

        var two = assertThrows(IllegalArgumentException.class,
                () -> SecretSource.resolve("password", "inline-secret", file.toString(), "", environment::get));
        assertEquals("io.nexchange.state.jdbc: set only one of '.password', 'password.file'", two.getMessage());
        var unset = assertThrows(IllegalArgumentException.class, () -> SecretSource.resolve("password", "", "", "MISSING", environment::get));
        assertTrue(unset.getMessage().contains("environment variable MISSING is not set"), unset.getMessage());
        var unreadable = assertThrows(IllegalArgumentException.class,
                () -> SecretSource.resolve("password", "", directory.resolve("nope").toString(), "", environment::get));
        assertTrue(unreadable.getMessage().contains("'password.file': cannot read"), unreadable.getMessage());
    }

    @Test
    void urlErrorsNameTheSettingAndHideThePassword() {
        var unsupported = assertThrows(StateException.class,
                () -> DataSources.driverDataSource("jdbc:mysql://db/state?password=hunter2", "u", Secret.of("")));
        assertTrue(unsupported.getMessage().contains("'url' must start with jdbc:h2: or jdbc:postgresql:"), unsupported.getMessage());
        assertFalse(unsupported.getMessage().contains("hunter2"), unsupported.getMessage());

        var unreachable = assertThrows(StateException.class, () -> DataSources.pool("jdbc:postgresql://127.0.0.1:1/state", "nexchange",
                Secret.of("db-secret"), 2, 1_000));
        assertTrue(unreachable.getMessage().startsWith("cannot connect to the state database jdbc:postgresql://127.0.0.1:1/state"
                + " as user 'nexchange'"), unreachable.getMessage());
        assertFalse(unreachable.getMessage().contains("db-secret"), unreachable.getMessage());
    }

    @Test
    void h2LeavesClosingToThePoolUnlessTheUrlSaysOtherwise() {
        assertEquals("jdbc:h2:file:./data/state;DB_CLOSE_ON_EXIT=FALSE", DataSources.h2Url("jdbc:h2:file:./data/state"));
        assertEquals("jdbc:h2:file:x;write_delay=100;DB_CLOSE_ON_EXIT=FALSE", DataSources.h2Url("jdbc:h2:file:x;write_delay=100"));
        assertEquals("jdbc:h2:file:x;db_close_on_exit=true", DataSources.h2Url("jdbc:h2:file:x;db_close_on_exit=true"));
    }

    @Test
    void scriptsSplitIntoStatementsAtLineEndSemicolons() {
        assertEquals(List.of("CREATE TABLE a (\n    x INT\n)", "CREATE INDEX a_x ON a (x)"),
                SchemaMigrator.statements("-- comment; not a statement\nCREATE TABLE a (\n    x INT\n);\n\nCREATE INDEX a_x ON a (x);\n"));
        assertThrows(IllegalStateException.class, () -> SchemaMigrator.statements("CREATE TABLE a (x INT)\n"));
        assertEquals(6, SchemaMigrator.latestVersion());
    }
}
