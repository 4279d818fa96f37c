package dev.overnight.postgres.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * Where and as whom to connect: a {@code jdbc:postgresql:} URL, a user, and a password kept out of
 * every message and {@link #toString()}.
 *
 * @param url the JDBC URL, {@code jdbc:postgresql://host:port/database}
 * @param user the user to log in as; empty to let the URL (or the driver's default) decide
 * @param password the password; empty for none
 * @param passwordSource where the password came from, in words, for error messages (an environment
 *     variable's name, say); empty when there is none
 * @param connectTimeout how long opening a connection may take
 * @param lockTimeout how long a statement waits for a row another connection holds
 * @param statementTimeout how long the server lets one statement run before it cancels it
 * @param socketTimeout how long this process waits for the server's answer on an open connection
 *     before it gives the connection up as lost (a network that stopped forwarding, a server that
 *     hangs); longer than the statement timeout, so a slow statement is the server's to cancel
 * @param dataSource where connections come from instead of the driver, when the application owns
 *     the pool; {@link #url()} then only names it in messages, and the connect timeout is the
 *     pool's
 */
public record Endpoint(
    String url,
    Optional<String> user,
    Optional<String> password,
    Optional<String> passwordSource,
    Duration connectTimeout,
    Duration lockTimeout,
    Duration statementTimeout,
    Duration socketTimeout,
    Optional<DataSource> dataSource) {

  /** The scheme every accepted URL starts with. */
  public static final String SCHEME = "jdbc:postgresql:";

  /** Checks the parts. */
  public Endpoint {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(passwordSource, "passwordSource");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(lockTimeout, "lockTimeout");
    Objects.requireNonNull(statementTimeout, "statementTimeout");
    Objects.requireNonNull(socketTimeout, "socketTimeout");
    Objects.requireNonNull(dataSource, "dataSource");
  }

  /** The driver properties for a connection. */
  Properties properties() {
    Properties p = new Properties();
    user.ifPresent(u -> p.setProperty("user", u));
    password.ifPresent(pw -> p.setProperty("password", pw));
    p.setProperty("connectTimeout", String.valueOf(seconds(connectTimeout)));
    p.setProperty("loginTimeout", p.getProperty("connectTimeout"));
    p.setProperty("socketTimeout", String.valueOf(seconds(socketTimeout)));
    p.setProperty("tcpKeepAlive", "true");
    p.setProperty("ApplicationName", "overnight");
    return p;
  }

  /** Whole seconds, rounded up, at least one: the driver's unit, where 0 would mean no limit. */
  private static long seconds(Duration d) {
    return Math.max(1, (d.toMillis() + 999) / 1000);
  }

  /** The URL with any password in it blanked out, for messages. */
  public String safeUrl() {
    return url.replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  @Override
  public String toString() {
    return "Endpoint[" + safeUrl() + user.map(u -> " as " + u).orElse("") + "]";
  }
}
