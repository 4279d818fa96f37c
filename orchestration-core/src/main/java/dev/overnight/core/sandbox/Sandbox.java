package dev.overnight.core.sandbox;

import dev.overnight.api.Availability;
import dev.overnight.core.sandbox.internal.NoSandbox;
import java.util.List;

/**
 * A way to run a command confined: {@link #wrap} turns a command line into one that runs it inside
 * the sandbox a {@link SandboxProfile} describes. {@link Sandboxes#forThisMachine()} finds the one
 * this machine has (bubblewrap on Linux, {@code sandbox-exec} on macOS); {@link #unconfined()} and
 * {@link #unavailable} are the explicit cases where nothing confines.
 *
 * <p>Implementations are immutable and thread-safe. {@link #wrap} reads the file system (which of
 * the profile's paths exist, and where their links lead) but starts nothing.
 *
 * @since 0.1.0
 */
public interface Sandbox {

  /** A short name for people and logs: {@code bubblewrap}, {@code sandbox-exec}, {@code none}. */
  String name();

  /** Whether commands wrapped by this sandbox are confined. */
  boolean confines();

  /** Whether this sandbox can be used here: what was found, or why not and how to fix it. */
  Availability availability();

  /**
   * The command line that runs {@code argv} inside this sandbox, with {@code profile}'s working
   * directory, writable, readable and hidden paths and network. Paths of the profile that do not
   * exist are left out.
   *
   * @throws SandboxUnavailableException if this sandbox cannot be used here
   */
  List<String> wrap(List<String> argv, SandboxProfile profile);

  /** Runs commands as they are: what {@code permissions.sandbox: off} asks for. */
  static Sandbox unconfined() {
    return NoSandbox.UNCONFINED;
  }

  /**
   * No sandbox can be used here, because {@code reason}; {@code remedy} says how to get one. {@link
   * #wrap} throws {@link SandboxUnavailableException} with both.
   */
  static Sandbox unavailable(String reason, String remedy) {
    return NoSandbox.unavailable(reason, remedy);
  }
}
