package dev.overnight.acp.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one kind of agent needs from the sandbox when its own process runs in it: whether it runs
 * commands itself (rather than through the client's terminals), whether it sandboxes them itself,
 * which of the user's folders it keeps its settings, logins, sessions and caches in (writable),
 * which of their files it reads but must not change, and what it is told about running confined.
 *
 * @param runsCommands whether the agent runs commands itself, so its process must run in the
 *     sandbox for them to be confined
 * @param ownSandbox whether the agent builds a sandbox of its own for its commands, inside ours
 * @param folders where the agent keeps its state: writable for its process
 * @param protectedNames files and folders inside {@code folders} the agent reads but may not
 *     change: settings, instructions and hooks it would act on later, also outside Overnight
 * @param environment variables set for the agent's process when it runs in the sandbox
 */
public record SandboxNeeds(
    boolean runsCommands,
    boolean ownSandbox,
    List<Folder> folders,
    List<String> protectedNames,
    Map<String, String> environment) {

  /** Validates and copies. */
  public SandboxNeeds {
    folders = List.copyOf(folders);
    protectedNames = List.copyOf(protectedNames);
    environment = Map.copyOf(environment);
  }

  /**
   * One place the agent writes its state: the folder a variable names when it is set, else a folder
   * or file under the home folder.
   *
   * @param variable the variable that moves it, if any (e.g. {@code CODEX_HOME})
   * @param underHome where it is by default, relative to {@code HOME}
   * @param file whether the default is a file (such as {@code ~/.claude.json}) rather than a folder
   */
  public record Folder(Optional<String> variable, String underHome, boolean file) {
    /** Validates. */
    public Folder {
      Objects.requireNonNull(variable, "variable");
      Objects.requireNonNull(underHome, "underHome");
    }

    /** A folder under the home folder that no variable moves. */
    static Folder home(String underHome) {
      return new Folder(Optional.empty(), underHome, false);
    }

    /** A folder {@code variable} moves, under the home folder by default. */
    static Folder movedBy(String variable, String underHome) {
      return new Folder(Optional.of(variable), underHome, false);
    }

    /** A file under the home folder that lives in the folder {@code variable} names when set. */
    static Folder fileMovedBy(String variable, String underHome) {
      return new Folder(Optional.of(variable), underHome, true);
    }

    /** Where it is for an agent with environment {@code env}, and whether that is a folder. */
    Optional<Place> in(Map<String, String> env) {
      Optional<String> moved = variable.map(env::get).filter(v -> !v.isBlank());
      if (moved.isPresent()) {
        return Optional.of(new Place(Path.of(moved.get()).toAbsolutePath().normalize(), true));
      }
      return Optional.ofNullable(env.get("HOME"))
          .filter(h -> !h.isBlank())
          .map(h -> new Place(Path.of(h).resolve(underHome).toAbsolutePath().normalize(), !file));
    }
  }

  /**
   * Where an agent writes its state.
   *
   * @param path the folder or file
   * @param folder whether it is a folder, which may be made when missing
   */
  public record Place(Path path, boolean folder) {}

  /** An agent that runs no command itself: only the client's terminals need the sandbox. */
  static SandboxNeeds clientTerminalsOnly() {
    return new SandboxNeeds(false, false, List.of(), List.of(), Map.of());
  }

  /** Every place the agent writes its state, for an agent with environment {@code env}. */
  List<Place> places(Map<String, String> env) {
    List<Place> out = new ArrayList<>();
    for (Folder f : folders) {
      f.in(env)
          .filter(p -> out.stream().noneMatch(o -> o.path().equals(p.path())))
          .ifPresent(out::add);
    }
    return out;
  }
}
