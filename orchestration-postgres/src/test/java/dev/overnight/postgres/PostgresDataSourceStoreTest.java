package dev.overnight.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskQueueException;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.fakes.ManualTimeSource;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The store on an application's own connection pool: the same queue, and the pool's connections
 * handed back as they came.
 */
class PostgresDataSourceStoreTest {

  private static final Instant NIGHT = Instant.parse("2026-11-25T23:00:00Z");

  @Test
  void aStoreOnAPoolKeepsTheQueueAndHandsItsConnectionsBackUnchanged() throws Exception {
    try (HikariDataSource pool = pool(TestDatabase.freshSchemaUrl(), 2)) {
      Task queued;
      try (PostgresStore store =
          PostgresStore.builder(pool).clock(new ManualTimeSource(NIGHT)).build()) {
        queued = store.taskQueue().enqueue(TaskSpec.builder("Fix the flaky test").build()).task();
        // The first wait opens the listening connection, the pool's second.
        assertThat(store.taskQueue().awaitWork(Duration.ZERO)).isTrue();
        Optional<Task> claimed = store.taskQueue().claimNext("app", Duration.ofMinutes(5));
        store.taskQueue().complete(queued.id(), "app", "fixed", Map.of());
        assertThat(claimed).map(Task::id).contains(queued.id());
        assertThat(store.url()).contains("DataSource");
      }

      List<Connection> both = new ArrayList<>();
      try {
        for (int i = 0; i < 2; i++) {
          both.add(pool.getConnection());
        }
        for (Connection c : both) {
          assertThat(text(c, "SHOW statement_timeout")).isEqualTo("0");
          assertThat(text(c, "SHOW lock_timeout")).isEqualTo("0");
          assertThat(text(c, "SHOW idle_in_transaction_session_timeout")).isEqualTo("0");
          assertThat(text(c, "SELECT count(*) FROM pg_listening_channels()")).isEqualTo("0");
        }
      } finally {
        for (Connection c : both) {
          c.close();
        }
      }
      try (PostgresStore again =
          PostgresStore.builder(pool).clock(new ManualTimeSource(NIGHT)).build()) {
        assertThat(again.taskQueue().get(queued.id()).orElseThrow().status())
            .isEqualTo(TaskStatus.COMPLETED);
      }
    }
  }

  @Test
  void aPoolOfAnotherDatabaseIsRefusedSayingWhatItIs() {
    DataSource other = (DataSource) proxy(DataSource.class, "getConnection", notPostgres());

    assertThatThrownBy(() -> PostgresStore.builder(other).build())
        .isInstanceOf(TaskQueueException.class)
        .hasMessageContaining("H2")
        .hasMessageContaining("needs a PostgreSQL DataSource");
  }

  private static HikariDataSource pool(String url, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername("postgres");
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(size);
    return new HikariDataSource(config);
  }

  private static String text(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** A connection of some other database: not a PostgreSQL one underneath. */
  private static Connection notPostgres() {
    DatabaseMetaData meta =
        (DatabaseMetaData) proxy(DatabaseMetaData.class, "getDatabaseProductName", "H2");
    return (Connection)
        Proxy.newProxyInstance(
            PostgresDataSourceStoreTest.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (p, m, args) ->
                switch (m.getName()) {
                  case "isWrapperFor" -> false;
                  case "getMetaData" -> meta;
                  case "close" -> null;
                  default -> throw new SQLException("not supported: " + m.getName());
                });
  }

  private static Object proxy(Class<?> type, String method, Object answer) {
    return Proxy.newProxyInstance(
        PostgresDataSourceStoreTest.class.getClassLoader(),
        new Class<?>[] {type},
        (p, m, args) -> {
          if (m.getName().equals(method)) {
            return answer;
          }
          if (m.getName().equals("toString")) {
            return type.getSimpleName() + " of H2";
          }
          throw new UnsupportedOperationException(m.getName());
        });
  }
}
