package com.example.overnight.hostcheck;

import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.ConfigProblem;
import dev.overnight.api.constraint.ConstraintChecker;
import dev.overnight.api.constraint.ConstraintCheckerProvider;
import dev.overnight.api.constraint.ConstraintSettings;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Serves {@code host_reachable}: run only while a given host and port accept a TCP connection.
 *
 * <p>Settings, under {@code constraints.checkers.host_reachable}: {@code host} (required), {@code
 * port} (required, 1–65535) and {@code timeout_ms} (1–10000, default 1000). Every problem is
 * reported at once, each with its JSON path.
 */
public final class HostReachableProvider implements ConstraintCheckerProvider {
  /** The config name. */
  public static final String NAME = "host_reachable";

  private static final String PATH = "/constraints/checkers/" + NAME;
  private static final int DEFAULT_TIMEOUT_MS = 1000;

  private final HostReachableChecker.Resolver resolver;

  /** For ServiceLoader: resolves names through the system resolver. */
  public HostReachableProvider() {
    this(InetAddress::getByName);
  }

  /** With a given resolver (tests use one that fails like a DNS outage). */
  public HostReachableProvider(HostReachableChecker.Resolver resolver) {
    this.resolver = Objects.requireNonNull(resolver, "resolver");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ConstraintChecker create(ConstraintSettings settings) {
    if (!(settings.value() instanceof Map<?, ?>)) {
      throw new ConfigException(
          null,
          List.of(
              new ConfigProblem(
                  PATH, "must be an object like {\"host\": \"ci.example.com\", \"port\": 443}")));
    }
    List<ConfigProblem> problems = new ArrayList<>();
    String host = settings.string("host").map(String::strip).orElse("");
    if (host.isEmpty()) {
      problems.add(
          new ConfigProblem(PATH + "/host", "is required: the host name or address to reach"));
    }
    int port = integer(settings, "port", 1, 65535, -1, problems);
    int timeoutMs = integer(settings, "timeout_ms", 1, 10_000, DEFAULT_TIMEOUT_MS, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(null, problems);
    }
    return new HostReachableChecker(host, port, timeoutMs, resolver);
  }

  /** A whole number in [min, max]; absent gives {@code fallback}, or a problem when none. */
  private static int integer(
      ConstraintSettings settings,
      String key,
      int min,
      int max,
      int fallback,
      List<ConfigProblem> problems) {
    Object value = settings.get(key).orElse(null);
    if (value == null && fallback >= 0) {
      return fallback;
    }
    if (value instanceof Number n
        && n.doubleValue() == Math.rint(n.doubleValue())
        && n.doubleValue() >= min
        && n.doubleValue() <= max) {
      return n.intValue();
    }
    problems.add(
        new ConfigProblem(
            PATH + "/" + key,
            (value == null ? "is required" : "is " + value)
                + ": must be a whole number from "
                + min
                + " to "
                + max));
    return fallback;
  }
}
