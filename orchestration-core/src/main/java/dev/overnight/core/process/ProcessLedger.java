package dev.overnight.core.process;

import dev.overnight.core.secrets.PrivateFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent process groups started for one state folder, one small file each under {@code
 * <state>/processes/}: which group, who started it (the Overnight process that owns it) and for
 * what. An agent's children live on when Overnight is killed ({@code kill -9}, an OOM kill, a power
 * button); the next Overnight to hold the folder finds the groups whose owner is dead here and ends
 * them ({@link #reapOrphans()}).
 *
 * <p>Thread-safe: each entry is one file, written whole (via a temporary file and a rename) by the
 * one thread that starts or ends its agent. I/O failures are logged, never thrown: the ledger is a
 * safety net, and a task must not fail for it.
 *
 * @since 0.1.0
 */
public final class ProcessLedger {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessLedger.class);
  private static final String PREFIX = "group-";

  private final Path folder;
  private final ProcessIdentity owner;

  /** A ledger in {@code folder}, whose entries are owned by this process. */
  public ProcessLedger(Path folder) {
    this(folder, ProcessIdentity.current());
  }

  /** A ledger in {@code folder}, whose new entries are owned by {@code owner}. */
  public ProcessLedger(Path folder, ProcessIdentity owner) {
    this.folder = Objects.requireNonNull(folder, "folder");
    this.owner = Objects.requireNonNull(owner, "owner");
  }

  /**
   * One recorded process group.
   *
   * @param leader the process that leads it (the group's id is its pid)
   * @param owner the Overnight process that started it
   * @param what what it runs, for the log (e.g. the agent and task)
   */
  public record Entry(ProcessIdentity leader, ProcessIdentity owner, String what) {
    /** Validates the components. */
    public Entry {
      Objects.requireNonNull(leader, "leader");
      Objects.requireNonNull(owner, "owner");
      Objects.requireNonNull(what, "what");
    }
  }

  /** The folder the entries are in. */
  public Path folder() {
    return folder;
  }

  /** Records a group this process started. */
  public void record(ProcessIdentity leader, String what) {
    Properties p = new Properties();
    p.setProperty("leader", Long.toString(leader.pid()));
    leader.started().ifPresent(s -> p.setProperty("leader_started", s.toString()));
    p.setProperty("owner", Long.toString(owner.pid()));
    owner.started().ifPresent(s -> p.setProperty("owner_started", s.toString()));
    p.setProperty("what", what);
    try {
      StringWriter text = new StringWriter();
      p.store(text, "An agent process group Overnight started; see ProcessLedger");
      PrivateFiles.writeString(file(leader), text.toString());
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("Could not record agent process group {} in {}: {}", leader, folder, e.toString());
    }
  }

  /** Forgets a group once it has ended. */
  public void forget(ProcessIdentity leader) {
    try {
      Files.deleteIfExists(file(leader));
    } catch (IOException e) {
      LOG.warn("Could not forget agent process group {} in {}: {}", leader, folder, e.toString());
    }
  }

  /** Every recorded group, the unreadable entries left out. */
  public List<Entry> entries() {
    List<Entry> entries = new ArrayList<>();
    if (!Files.isDirectory(folder)) {
      return entries;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, PREFIX + "*")) {
      for (Path file : files) {
        read(file).ifPresent(entries::add);
      }
    } catch (IOException e) {
      LOG.warn("Could not list agent process groups in {}: {}", folder, e.toString());
    }
    return entries;
  }

  /**
   * Ends every recorded group whose owner is dead, and forgets it: call it while holding the state
   * folder's lock, so that no other Overnight is starting groups here. Groups of a live owner
   * (another Overnight on the folder without its lock) are left alone.
   *
   * @return the groups ended (or found already gone)
   */
  public List<Entry> reapOrphans() {
    List<Entry> reaped = new ArrayList<>();
    for (Entry entry : entries()) {
      if (entry.owner().isAlive()) {
        continue;
      }
      boolean killed = ProcessGroups.kill(entry.leader());
      LOG.info(
          "{} agent process group {} ({}) left by a dead Overnight ({})",
          killed ? "Killed" : "Forgot the ended",
          entry.leader().pid(),
          entry.what(),
          entry.owner());
      forget(entry.leader());
      reaped.add(entry);
    }
    return reaped;
  }

  private Path file(ProcessIdentity leader) {
    return folder.resolve(PREFIX + leader.pid());
  }

  private static Optional<Entry> read(Path file) {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
      return Optional.of(
          new Entry(
              identity(p, "leader"), identity(p, "owner"), p.getProperty("what", "an agent")));
    } catch (NoSuchFileException e) {
      return Optional.empty(); // forgotten meanwhile
    } catch (IOException | RuntimeException e) {
      LOG.warn("Ignoring unreadable agent process entry {}: {}", file, e.toString());
      return Optional.empty();
    }
  }

  private static ProcessIdentity identity(Properties p, String name) {
    long pid = Long.parseLong(Objects.requireNonNull(p.getProperty(name), name).trim());
    Optional<Instant> started;
    try {
      started = Optional.ofNullable(p.getProperty(name + "_started")).map(Instant::parse);
    } catch (DateTimeParseException e) {
      started = Optional.empty();
    }
    return new ProcessIdentity(pid, started);
  }
}
