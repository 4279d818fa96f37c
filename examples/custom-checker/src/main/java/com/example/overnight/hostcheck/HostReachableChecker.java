package com.example.overnight.hostcheck;

import dev.overnight.api.constraint.ConstraintChecker;
import dev.overnight.api.constraint.ConstraintResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/**
 * Satisfied while {@code host:port} accepts a TCP connection within the timeout; unsatisfied when
 * it refuses or does not answer; unknown when the name cannot be resolved (the resolver, not the
 * host, may be what is down). Never blocks longer than the timeout plus name resolution.
 */
public final class HostReachableChecker implements ConstraintChecker {

  /** Turns a host name into an address. */
  @FunctionalInterface
  public interface Resolver {
    /** The address of {@code host}. */
    InetAddress resolve(String host) throws UnknownHostException;
  }

  private final String host;
  private final int port;
  private final int timeoutMs;
  private final Resolver resolver;

  HostReachableChecker(String host, int port, int timeoutMs, Resolver resolver) {
    this.host = host;
    this.port = port;
    this.timeoutMs = timeoutMs;
    this.resolver = resolver;
  }

  @Override
  public String name() {
    return HostReachableProvider.NAME;
  }

  @Override
  public ConstraintResult check() {
    String target = host + ":" + port;
    InetAddress address;
    try {
      address = resolver.resolve(host);
    } catch (UnknownHostException e) {
      return ConstraintResult.unknown("cannot resolve " + host + ": " + e.getMessage());
    } catch (RuntimeException e) {
      return ConstraintResult.unknown("cannot resolve " + host + ": " + e);
    }
    if (address == null) {
      return ConstraintResult.unknown("cannot resolve " + host + ": no address");
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), timeoutMs);
      return ConstraintResult.satisfied(target + " answered");
    } catch (SocketTimeoutException e) {
      return ConstraintResult.unsatisfied(target + " did not answer within " + timeoutMs + " ms");
    } catch (IOException | RuntimeException e) {
      return ConstraintResult.unsatisfied(target + " refused or unreachable: " + e.getMessage());
    }
  }
}
