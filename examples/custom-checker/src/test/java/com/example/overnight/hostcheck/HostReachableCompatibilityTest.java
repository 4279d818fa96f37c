package com.example.overnight.hostcheck;

import dev.overnight.api.config.Constraints;
import dev.overnight.api.constraint.ConstraintChecker;
import dev.overnight.api.constraint.ConstraintCheckerProvider;
import dev.overnight.api.constraint.ConstraintSettings;
import dev.overnight.api.constraint.ConstraintStatus;
import dev.overnight.testing.constraint.ConstraintCheckerCompatibilityKit;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The plugin runs Overnight's compatibility kit, against servers on the loopback interface. */
class HostReachableCompatibilityTest extends ConstraintCheckerCompatibilityKit {
  private ServerSocket listening;
  private int closedPort;

  @BeforeEach
  void openPorts() throws IOException {
    listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    try (ServerSocket closed = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      closedPort = closed.getLocalPort();
    }
  }

  @AfterEach
  void closePorts() throws IOException {
    listening.close();
  }

  static ConstraintSettings settings(Object value) {
    return new ConstraintSettings(HostReachableProvider.NAME, value, Constraints.none());
  }

  private ConstraintChecker to(int port) {
    return new HostReachableProvider()
        .create(settings(Map.of("host", "127.0.0.1", "port", port, "timeout_ms", 2000)));
  }

  @Override
  protected ConstraintCheckerProvider provider() {
    return new HostReachableProvider();
  }

  @Override
  protected ConstraintSettings validSettings() {
    return settings(Map.of("host", "127.0.0.1", "port", listening.getLocalPort()));
  }

  @Override
  protected List<InvalidSettings> invalidSettings() {
    String path = "/constraints/checkers/host_reachable";
    return List.of(
        new InvalidSettings(settings(true), path),
        new InvalidSettings(settings(Map.of("port", 443)), path + "/host"),
        new InvalidSettings(settings(Map.of("host", "ci", "port", 70000)), path + "/port"),
        new InvalidSettings(settings(Map.of("host", "ci", "port", 44.5)), path + "/port"),
        new InvalidSettings(
            settings(Map.of("host", "ci", "port", 443, "timeout_ms", 0)), path + "/timeout_ms"));
  }

  @Override
  protected Map<ConstraintStatus, ConstraintChecker> checkersByExpectedStatus() {
    ConstraintChecker dnsDown =
        new HostReachableProvider(
                host -> {
                  throw new UnknownHostException(host + ": Temporary failure in name resolution");
                })
            .create(settings(Map.of("host", "ci.example.com", "port", 443)));
    return Map.of(
        ConstraintStatus.SATISFIED, to(listening.getLocalPort()),
        ConstraintStatus.UNSATISFIED, to(closedPort),
        ConstraintStatus.UNKNOWN, dnsDown);
  }

  @Override
  protected List<ConstraintChecker> checkersOverBrokenData() {
    return List.of(
        new HostReachableProvider(host -> null)
            .create(settings(Map.of("host", "ci.example.com", "port", 443))),
        new HostReachableProvider(
                host -> {
                  throw new SecurityException("resolution denied");
                })
            .create(settings(Map.of("host", "ci.example.com", "port", 443))));
  }
}
