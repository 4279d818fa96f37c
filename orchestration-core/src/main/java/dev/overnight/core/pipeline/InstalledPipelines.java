package dev.overnight.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.config.ConfigProblem;
import dev.overnight.core.json.OvernightJson;
import dev.overnight.core.pipeline.internal.GitManifests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The pipelines a user installed, kept in the state folder ({@code StatePaths#catalog()}): a
 * catalog file naming each one's origin, pinned revision and manifest hash; the pinned manifests
 * themselves, stored by hash so a pinned text never changes under a queued task; the git cache
 * manifests are fetched into; and the hashes the user accepted to run.
 *
 * <p>An installed manifest is untrusted input: it is validated before it is pinned, its reference
 * ({@link #reference}) is the pinned file, and it runs only once its hash is accepted and within
 * the local config's policy ({@link Pipelines#enqueue}, {@link TrustBoundary}).
 *
 * <p>Not thread-safe, and meant for one process at a time (the command line); every call blocks on
 * the file system, and {@link #add} and {@link #check} on git.
 *
 * @since 0.1.0
 */
public final class InstalledPipelines {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,63}");

  private final Path folder;
  private final PipelineLoader loader;
  private final GitManifests git;

  private InstalledPipelines(Path folder, PipelineLoader loader) {
    this.folder = folder.toAbsolutePath().normalize();
    this.loader = loader;
    this.git = new GitManifests(this.folder.resolve("git"));
  }

  /** The installed pipelines kept in {@code folder}, manifests validated with {@code loader}. */
  public static InstalledPipelines at(Path folder, PipelineLoader loader) {
    return new InstalledPipelines(
        Objects.requireNonNull(folder, "folder"), Objects.requireNonNull(loader, "loader"));
  }

  /**
   * What fetching an installed pipeline again found.
   *
   * @param pinned what is pinned now
   * @param commit the commit the ref points to now
   * @param text the manifest's text at that commit
   * @param hash that text's SHA-256
   * @param diff the unified diff from the pinned text to it, empty when equal
   * @since 0.1.0
   */
  public record Update(
      InstalledPipeline pinned, String commit, String text, String hash, String diff) {
    /** Whether the manifest itself changed (not only the commit it is found at). */
    public boolean changed() {
      return !hash.equals(pinned.hash());
    }

    /** The new hash as users type it. */
    public String shortHash() {
      return hash.substring(0, 12);
    }
  }

  /** The installed pipelines, in the order they were installed. */
  public List<InstalledPipeline> list() {
    List<InstalledPipeline> all = new ArrayList<>();
    read()
        .path("pipelines")
        .forEach(
            p ->
                all.add(
                    new InstalledPipeline(
                        p.path("name").asText(),
                        p.path("origin").asText(),
                        p.path("revision").asText(),
                        p.path("hash").asText())));
    return List.copyOf(all);
  }

  /** The installed pipeline named {@code name}, if any. */
  public Optional<InstalledPipeline> find(String name) {
    return list().stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /** The reference a task holds for {@code pipeline}: its pinned manifest file. */
  public String reference(InstalledPipeline pipeline) {
    return manifestFile(pipeline.hash()).toString();
  }

  /** The pinned manifest's text. */
  public String text(InstalledPipeline pipeline) {
    try {
      return Files.readString(manifestFile(pipeline.hash()));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "the pinned manifest of " + pipeline.name() + " is missing from " + folder, e);
    }
  }

  /**
   * Fetches the manifest {@code source} names, validates it and pins it.
   *
   * @param name the name to install it under; the manifest's own name when empty
   * @return what was pinned
   * @throws dev.overnight.core.worktree.GitException if it cannot be fetched
   * @throws dev.overnight.api.config.ConfigException for every problem in the manifest
   * @throws IllegalArgumentException if the name is taken (installed or built in) or not valid
   */
  public InstalledPipeline add(ManifestSource source, Optional<String> name) {
    GitManifests.Fetched fetched = git.fetch(source);
    PipelineManifest manifest = loader.read(source.toString(), fetched.text());
    String chosen = name.orElse(manifest.name());
    requireFree(chosen);
    return pin(chosen, source.toString(), fetched.commit(), fetched.text());
  }

  /**
   * Validates {@code text} and pins it under {@code name}, replacing what that name pinned before.
   *
   * @param origin where it came from, shown by {@code pipeline list}
   * @param revision what it is pinned to there (a commit, an event id)
   * @throws dev.overnight.api.config.ConfigException for every problem in the manifest
   * @throws IllegalArgumentException if the name is not valid or is a built-in's
   */
  public InstalledPipeline pin(String name, String origin, String revision, String text) {
    requireValidName(name);
    PipelineManifest manifest = loader.read(origin, text);
    Path file = manifestFile(manifest.hash());
    write(file, text);
    InstalledPipeline pinned = new InstalledPipeline(name, origin, revision, manifest.hash());
    ObjectNode root = read();
    ArrayNode pipelines = OvernightJson.array();
    boolean replaced = false;
    for (JsonNode p : root.path("pipelines")) {
      if (p.path("name").asText().equals(name)) {
        pipelines.add(json(pinned));
        replaced = true;
      } else {
        pipelines.add(p);
      }
    }
    if (!replaced) {
      pipelines.add(json(pinned));
    }
    root.set("pipelines", pipelines);
    save(root);
    return pinned;
  }

  /** Takes {@code name} out of the catalog; whether it was installed. */
  public boolean remove(String name) {
    ObjectNode root = read();
    ArrayNode kept = OvernightJson.array();
    Optional<String> removedHash = Optional.empty();
    for (JsonNode p : root.path("pipelines")) {
      if (p.path("name").asText().equals(name)) {
        removedHash = Optional.of(p.path("hash").asText());
      } else {
        kept.add(p);
      }
    }
    if (removedHash.isEmpty()) {
      return false;
    }
    root.set("pipelines", kept);
    save(root);
    String hash = removedHash.get();
    if (list().stream().noneMatch(p -> p.hash().equals(hash))) {
      try {
        Files.deleteIfExists(manifestFile(hash));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return true;
  }

  /**
   * Fetches an installed pipeline's ref again and compares it with what is pinned. Nothing changes
   * until {@link #take}.
   *
   * @throws IllegalArgumentException if {@code name} is not installed, or not from git
   * @throws dev.overnight.core.worktree.GitException if it cannot be fetched
   */
  public Update check(String name) {
    InstalledPipeline pinned =
        find(name).orElseThrow(() -> new IllegalArgumentException("no installed pipeline " + name));
    if (!pinned.fromGit()) {
      throw new IllegalArgumentException(
          name
              + " was installed from "
              + pinned.origin()
              + ", not from git: install it again to take a newer version");
    }
    ManifestSource source = ManifestSource.parse(pinned.origin());
    GitManifests.Fetched fetched = git.fetch(source);
    String hash = PipelineLoader.hash(fetched.text());
    String diff =
        hash.equals(pinned.hash())
            ? ""
            : git.diff(source.path().replace('/', '_'), text(pinned), fetched.text());
    return new Update(pinned, fetched.commit(), fetched.text(), hash, diff);
  }

  /**
   * Pins what {@link #check} found. An unchanged manifest found at a new commit is taken without
   * acceptance; a changed one only with its hash accepted.
   *
   * @param acceptedHash the new hash as the user typed it (its first 12 hex digits suffice)
   * @throws PipelineRefusedException if the manifest changed and {@code acceptedHash} is not its
   *     hash
   * @throws dev.overnight.api.config.ConfigException for every problem in the new manifest
   */
  public InstalledPipeline take(Update update, String acceptedHash) {
    if (update.changed()
        && (acceptedHash.length() < 12 || !update.hash().startsWith(acceptedHash))) {
      throw new PipelineRefusedException(
          update.pinned().name(),
          List.of(
              new ConfigProblem(
                  "",
                  "changed upstream: its new hash is "
                      + update.shortHash()
                      + (acceptedHash.isEmpty() ? "" : ", not " + acceptedHash)
                      + "; read the diff and accept that hash")));
    }
    InstalledPipeline taken =
        pin(update.pinned().name(), update.pinned().origin(), update.commit(), update.text());
    if (update.changed()
        && list().stream().noneMatch(p -> p.hash().equals(update.pinned().hash()))) {
      try {
        Files.deleteIfExists(manifestFile(update.pinned().hash()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return taken;
  }

  /** Whether the user accepted to run the manifest whose hash is {@code hash}. */
  public boolean accepted(String hash) {
    for (JsonNode h : read().path("accepted")) {
      if (h.asText().equals(hash)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Remembers that the user accepted to run the manifest whose full hash is {@code hash}: it runs
   * again without being accepted until its text, and so its hash, changes.
   */
  public void accept(String hash) {
    if (!hash.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("not a full SHA-256: " + hash);
    }
    ObjectNode root = read();
    Set<String> all = new LinkedHashSet<>();
    root.path("accepted").forEach(h -> all.add(h.asText()));
    if (all.add(hash)) {
      ArrayNode accepted = OvernightJson.array();
      all.forEach(accepted::add);
      root.set("accepted", accepted);
      save(root);
    }
  }

  private void requireFree(String name) {
    requireValidName(name);
    if (find(name).isPresent()) {
      throw new IllegalArgumentException(
          "a pipeline named "
              + name
              + " is installed already: update it, remove it first, or install under another"
              + " --name");
    }
  }

  private static void requireValidName(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "\"" + name + "\" is not a pipeline name: lower-case letters, digits and -, 64 at most");
    }
    if (PipelineCatalog.BUILT_IN.contains(name)) {
      throw new IllegalArgumentException(
          name + " is a built-in pipeline's name: install under another --name");
    }
  }

  private Path manifestFile(String hash) {
    if (!hash.matches("[0-9a-f]{64}")) {
      throw new IllegalStateException("the catalog in " + folder + " holds a bad hash: " + hash);
    }
    return folder.resolve("manifests").resolve(hash + ".manifest");
  }

  private static ObjectNode json(InstalledPipeline p) {
    ObjectNode o = OvernightJson.object();
    o.put("name", p.name());
    o.put("origin", p.origin());
    o.put("revision", p.revision());
    o.put("hash", p.hash());
    return o;
  }

  private Path catalogFile() {
    return folder.resolve("catalog.json");
  }

  private ObjectNode read() {
    Path file = catalogFile();
    if (!Files.exists(file)) {
      return OvernightJson.object();
    }
    try {
      JsonNode root = OvernightJson.read(Files.readString(file));
      if (!root.isObject()) {
        throw new IllegalStateException(file + " is not a catalog: not a JSON object");
      }
      return (ObjectNode) root;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private void save(ObjectNode root) {
    write(catalogFile(), OvernightJson.writePretty(root));
  }

  /** Writes through a temporary file and a rename, so a crash never leaves half a file. */
  private static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Path temp = Files.createTempFile(file.getParent(), ".write-", ".tmp");
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  @Override
  public String toString() {
    return "InstalledPipelines[" + folder + "]";
  }
}
