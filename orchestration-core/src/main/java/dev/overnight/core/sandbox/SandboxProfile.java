package dev.overnight.core.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a confined command sees of the machine: everything read-only, except the writable paths; the
 * hidden paths not at all (an empty folder, or an empty file, in their place); a private, empty
 * {@code /tmp}; the network only if {@link #network()} says so.
 *
 * <p>Readable paths matter where a hidden or private area would otherwise cover them (a
 * repository's git folder under {@code /tmp}); writable paths are shown wherever they lie, also
 * inside hidden ones (a worktree inside Overnight's state folder).
 *
 * @param workingDirectory where the command starts
 * @param writable folders (or files) the command may change
 * @param readable folders (or files) the command may read even where a hidden area covers them
 * @param hidden folders and files the command must not see
 * @param network whether the command may use the network
 * @param nestedSandboxes whether the command may build sandboxes of its own inside this one (an
 *     agent such as Codex confines the commands it runs itself)
 * @since 0.1.0
 */
public record SandboxProfile(
    Path workingDirectory,
    List<Path> writable,
    List<Path> readable,
    List<Path> hidden,
    boolean network,
    boolean nestedSandboxes) {

  /** Validates and copies; every path is made absolute and normalised. */
  public SandboxProfile {
    workingDirectory = absolute(Objects.requireNonNull(workingDirectory, "workingDirectory"));
    writable = absolute(writable);
    readable = absolute(readable);
    hidden = absolute(hidden);
  }

  /** Starts a profile for a command that starts in {@code workingDirectory}. */
  public static Builder builder(Path workingDirectory) {
    return new Builder(workingDirectory);
  }

  /** A builder initialised from this profile. */
  public Builder toBuilder() {
    Builder b = new Builder(workingDirectory);
    b.writable.addAll(writable);
    b.readable.addAll(readable);
    b.hidden.addAll(hidden);
    b.network = network;
    b.nestedSandboxes = nestedSandboxes;
    return b;
  }

  private static Path absolute(Path p) {
    return p.toAbsolutePath().normalize();
  }

  private static List<Path> absolute(List<Path> paths) {
    List<Path> out = new ArrayList<>();
    for (Path p : paths) {
      Path a = absolute(Objects.requireNonNull(p, "path"));
      if (!out.contains(a)) {
        out.add(a);
      }
    }
    return List.copyOf(out);
  }

  /** Builds a {@link SandboxProfile}. Not thread-safe. */
  public static final class Builder {
    private Path workingDirectory;
    private final List<Path> writable = new ArrayList<>();
    private final List<Path> readable = new ArrayList<>();
    private final List<Path> hidden = new ArrayList<>();
    private boolean network;
    private boolean nestedSandboxes;

    private Builder(Path workingDirectory) {
      this.workingDirectory = Objects.requireNonNull(workingDirectory, "workingDirectory");
    }

    /** Where the command starts. */
    public Builder workingDirectory(Path value) {
      workingDirectory = Objects.requireNonNull(value, "workingDirectory");
      return this;
    }

    /** Adds paths the command may change. */
    public Builder writable(List<Path> values) {
      writable.addAll(values);
      return this;
    }

    /** Adds a path the command may change. */
    public Builder writable(Path value) {
      writable.add(Objects.requireNonNull(value, "writable"));
      return this;
    }

    /** Adds paths the command may read even where a hidden area covers them. */
    public Builder readable(List<Path> values) {
      readable.addAll(values);
      return this;
    }

    /** Adds paths the command must not see. */
    public Builder hidden(List<Path> values) {
      hidden.addAll(values);
      return this;
    }

    /** Whether the command may use the network (default no). */
    public Builder network(boolean value) {
      network = value;
      return this;
    }

    /** Whether the command may build sandboxes of its own (default no). */
    public Builder nestedSandboxes(boolean value) {
      nestedSandboxes = value;
      return this;
    }

    /** Builds the profile. */
    public SandboxProfile build() {
      return new SandboxProfile(
          workingDirectory, writable, readable, hidden, network, nestedSandboxes);
    }
  }
}
