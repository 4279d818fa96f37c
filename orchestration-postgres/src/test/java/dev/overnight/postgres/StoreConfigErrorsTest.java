package dev.overnight.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overnight.api.ProviderContext;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.StoreSettings;
import dev.overnight.api.queue.TaskQueueException;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.store.Store;
import dev.overnight.core.spi.Discovery;
import dev.overnight.fakes.ManualTimeSource;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store config that cannot work fails once, at start, with one message that names the database
 * and what to fix; the password never appears in it.
 */
class StoreConfigErrorsTest {

  private static final String PASSWORD_ENV = "OVERNIGHT_DB_PASSWORD";

  @TempDir Path dir;

  @Test
  void theRightPasswordFromTheEnvironmentOpensTheStore() {
    String url = TestDatabase.freshFleetSchemaUrl();

    try (Store store = open(url, TestDatabase.FLEET_PASSWORD)) {
      store.taskQueue().enqueue(TaskSpec.builder("Logged in").build());
      assertThat(store.taskQueue().list(dev.overnight.api.queue.TaskFilter.all()).total())
          .isEqualTo(1);
    }
  }

  @Test
  void aWrongPasswordNamesTheUserAndTheVariableToFix() {
    String url = TestDatabase.freshFleetSchemaUrl();

    assertThatThrownBy(() -> open(url, "wrong horse"))
        .isInstanceOf(TaskQueueException.class)
        .hasMessageStartingWith("PostgreSQL at " + url + ": the server refused the password")
        .hasMessageContaining("of user fleet")
        .hasMessageContaining("Set the right password in the environment variable " + PASSWORD_ENV)
        .hasMessageNotContaining("wrong horse");
  }

  @Test
  void aPasswordVariableThatIsNotSetIsNamed() {
    String url = TestDatabase.freshFleetSchemaUrl();

    assertThatThrownBy(() -> open(url, null))
        .isInstanceOf(TaskQueueException.class)
        .hasMessage(
            "store.password_env names the environment variable "
                + PASSWORD_ENV
                + ", which is not set for this process: set it to the database password (the"
                + " password never goes in the config file).");
  }

  @Test
  void aMissingDatabaseSaysToCreateItOrFixTheName() {
    String url =
        "jdbc:postgresql://localhost:" + TestDatabase.server().getPort() + "/no_such_night";

    assertThatThrownBy(() -> open(url, TestDatabase.FLEET_PASSWORD))
        .isInstanceOf(TaskQueueException.class)
        .hasMessageStartingWith("PostgreSQL at " + url + ": the database does not exist")
        .hasMessageContaining("Create it (createdb <name>, or CREATE DATABASE)")
        .hasMessageContaining("fix the database name in store.url");
  }

  @Test
  void aRefusedConnectionSaysToStartTheServerOrFixHostAndPort() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String url = "jdbc:postgresql://localhost:" + closedPort + "/overnight";

    assertThatThrownBy(() -> open(url, TestDatabase.FLEET_PASSWORD))
        .isInstanceOf(TaskQueueException.class)
        .hasMessageStartingWith(
            "Cannot reach PostgreSQL at " + url + ": the connection was refused")
        .hasMessageContaining("Start the PostgreSQL server, or fix the host and port in store.url");
  }

  @Test
  void aUrlThatIsNotPostgresSaysHowToWriteOne() {
    String url = "jdbc:mysql://localhost:3306/overnight";

    assertThatThrownBy(() -> open(url, TestDatabase.FLEET_PASSWORD))
        .isInstanceOf(TaskQueueException.class)
        .hasMessage(
            "store.url "
                + url
                + " is not a PostgreSQL JDBC URL. Write it as"
                + " jdbc:postgresql://<host>:<port>/<database>.");
  }

  @Test
  void aSchemaFromANewerOvernightSaysToUpgrade() {
    String url = TestDatabase.freshFleetSchemaUrl();
    open(url, TestDatabase.FLEET_PASSWORD).close();
    String schema = url.substring(url.indexOf("currentSchema=") + "currentSchema=".length());
    TestDatabase.execute("INSERT INTO " + schema + ".schema_version VALUES (999, 'later', 0)");

    assertThatThrownBy(() -> open(url, TestDatabase.FLEET_PASSWORD))
        .isInstanceOf(TaskQueueException.class)
        .hasMessageContaining("has Overnight schema version 999, newer than the newest")
        .hasMessageContaining("Upgrade Overnight on this machine");
  }

  /** Opens the store as a runtime would: the config's store, the password from the environment. */
  private Store open(String url, String password) {
    OrchestrationConfig config =
        OrchestrationConfig.builder(ConfigValue.of("/repo"))
            .store(StoreSettings.postgres(url, TestDatabase.FLEET_USER, PASSWORD_ENV))
            .build();
    ProviderContext context =
        ProviderContext.builder(config)
            .timeSource(new ManualTimeSource(Instant.parse("2026-11-25T23:00:00Z")))
            .stateDirectory(dir)
            .environment(password == null ? Map.of() : Map.of(PASSWORD_ENV, password))
            .build();
    return Discovery.builder(context).build().openStore().orElseThrow();
  }
}
