package dev.overnight.core.fleet;

import dev.overnight.api.OrchestrationException;
import dev.overnight.api.fleet.Labels;
import dev.overnight.core.platform.OsFamily;
import dev.overnight.core.secrets.PrivateFiles;
import dev.overnight.core.worktree.Git;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Who this machine is in a fleet: the stable id it claims tasks under, the name people see, and the
 * labels that say what it can run ({@code os:}, {@code agent:} for each agent available here,
 * {@code repo:} for the workspace's repository, {@code worker:<id>}, plus the config's own).
 *
 * <p>Immutable and thread-safe.
 *
 * @param id the worker id, kept in the state folder's {@value #ID_FILE} so it survives restarts
 * @param name the config's {@code fleet.name}, else the host name
 * @param labels every label, sorted
 * @param repository the workspace's repository as {@code host/owner/name}, if it has an {@code
 *     origin} remote
 * @since 0.1.0
 */
public record WorkerIdentity(
    String id, String name, Set<String> labels, Optional<String> repository) {

  /** The file in the state folder that holds the worker id. */
  public static final String ID_FILE = "worker-id";

  /** Checks and copies; labels are checked and sorted. */
  public WorkerIdentity {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    labels = Labels.of(labels);
    Objects.requireNonNull(repository, "repository");
  }

  /**
   * The identity of a worker: {@code id} and {@code name}, and the labels for {@code os}, each of
   * {@code agentIds}, {@code repository} and the id, plus {@code own} labels.
   */
  public static WorkerIdentity of(
      String id,
      String name,
      OsFamily os,
      Collection<String> agentIds,
      Optional<String> repository,
      Collection<String> own) {
    TreeSet<String> labels = new TreeSet<>(own);
    labels.add(Labels.OS + os.name().toLowerCase(Locale.ROOT));
    agentIds.forEach(a -> labels.add(Labels.AGENT + a));
    repository.ifPresent(r -> labels.add(Labels.REPO + r));
    labels.add(Labels.worker(id));
    return new WorkerIdentity(id, name, labels, repository);
  }

  /**
   * The labels a task decided for this workspace requires: its repository's {@code repo:} label, so
   * any machine with a checkout of it may run the task and no other; or, for a repository without a
   * remote, this worker's own label, since only this machine has it.
   */
  public Set<String> decidedTaskLabels() {
    return Set.of(repository.map(r -> Labels.REPO + r).orElse(Labels.worker(id)));
  }

  /**
   * The worker id kept in {@code stateRoot}, created on first use: the host's name and a random
   * part, e.g. {@code mac-mini-3f9a1c2e}. Two processes creating it at once agree on one.
   *
   * @throws OrchestrationException if the file cannot be read or written
   */
  public static String stableId(Path stateRoot) {
    Path file = stateRoot.resolve(ID_FILE);
    try {
      Optional<String> existing = read(file);
      if (existing.isPresent()) {
        return existing.get();
      }
      PrivateFiles.createDirectories(stateRoot);
      String fresh = slug(hostName()) + "-" + HexFormat.of().toHexDigits(randomInt());
      Path tmp = Files.createTempFile(stateRoot, "." + ID_FILE, ".tmp");
      try {
        Files.writeString(tmp, fresh + "\n", StandardCharsets.UTF_8);
        // A hard link fails if the file exists: the first writer wins, the others read its id.
        Files.createLink(file, tmp);
        return fresh;
      } catch (FileAlreadyExistsException e) {
        return read(file).orElseThrow(() -> new IOException(file + " is empty"));
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new OrchestrationException(
          "cannot read or create the worker id in " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The workspace's repository as {@code host/owner/name}, from its {@code origin} remote (or its
   * only remote); empty when it has none or it is a local path.
   */
  public static Optional<String> repositoryOf(Path workspace) {
    Git git = new Git(workspace);
    var origin = git.run("remote", "get-url", "origin");
    if (origin.succeeded()) {
      return RemoteUrls.normalize(origin.stdout().strip());
    }
    var remotes = git.run("remote");
    List<String> names =
        remotes.succeeded() ? remotes.stdout().strip().lines().toList() : List.of();
    if (names.size() != 1) {
      return Optional.empty();
    }
    var only = git.run("remote", "get-url", names.get(0));
    return only.succeeded() ? RemoteUrls.normalize(only.stdout().strip()) : Optional.empty();
  }

  /** This machine's host name as the environment or the system says it; never throws. */
  public static String hostName(Map<String, String> environment) {
    String fromEnv = environment.get("HOSTNAME");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.strip();
    }
    return hostName();
  }

  private static String hostName() {
    try {
      Path etc = Path.of("/etc/hostname");
      if (Files.isReadable(etc)) {
        String name = Files.readString(etc, StandardCharsets.UTF_8).strip();
        if (!name.isEmpty()) {
          return name;
        }
      }
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException | RuntimeException e) {
      return "overnight";
    }
  }

  private static Optional<String> read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    String id = Files.readString(file, StandardCharsets.UTF_8).strip();
    return id.isEmpty() ? Optional.empty() : Optional.of(id);
  }

  /** Letters, digits and '-', lower case: the host name as part of an id and a label. */
  private static String slug(String name) {
    String s =
        name.toLowerCase(Locale.ROOT)
            .replaceAll("\\..*$", "")
            .replaceAll("[^a-z0-9-]+", "-")
            .replaceAll("^-+|-+$", "");
    s = s.length() > 40 ? s.substring(0, 40) : s;
    return s.isEmpty() ? "overnight" : s;
  }

  private static int randomInt() {
    return ThreadLocalRandom.current().nextInt();
  }
}
