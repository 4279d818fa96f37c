package dev.overnight.core.doctor.internal;

import dev.overnight.core.doctor.DoctorReport.PathReport;
import dev.overnight.core.secrets.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Records whether the state folder and the database file exist and can be written (or created),
 * with the free space and the database's size.
 *
 * <p>A state folder that is not a folder, cannot be written, or does not exist and cannot be
 * created is a problem; so is a database that is not a regular file or cannot be written. Missing
 * ones that can be created are fine: the first run creates them. A state folder other users may
 * enter is a warning: Overnight creates it for its owner only, but an older version, or the user,
 * may have made it otherwise. Only reads file attributes; never creates anything.
 */
public final class StateFolderCheck implements DoctorCheck {
  private final Path stateDir;
  private final Path databaseFile;

  /**
   * Examines the given paths.
   *
   * @param stateDir the state folder
   * @param databaseFile the database file, usually inside the state folder
   */
  public StateFolderCheck(Path stateDir, Path databaseFile) {
    this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
    this.databaseFile = Objects.requireNonNull(databaseFile, "databaseFile");
  }

  @Override
  public void run(Findings findings) {
    List<PathReport> reports = new ArrayList<>();
    reports.add(stateFolder(findings));
    reports.add(database(findings));
    findings.reportState(reports);
  }

  private PathReport stateFolder(Findings findings) {
    boolean dirExists = Files.isDirectory(stateDir);
    if (Files.exists(stateDir) && !dirExists) {
      findings.problem("state folder " + stateDir + " exists but is not a folder");
      return new PathReport(
          "state folder", stateDir, true, false, OptionalLong.empty(), "not a folder");
    }
    if (dirExists) {
      boolean writable = Files.isWritable(stateDir);
      if (!writable) {
        findings.problem("state folder " + stateDir + " is not writable");
      }
      if (PrivateFiles.isOpenToOthers(stateDir)) {
        findings.warning(
            "state folder "
                + stateDir
                + " is open to other users, and holds prompts, transcripts and the dashboard"
                + " token: chmod 700 \""
                + stateDir
                + "\"");
      }
      return new PathReport(
          "state folder",
          stateDir,
          true,
          writable,
          OptionalLong.empty(),
          (writable ? "writable" : "not writable") + freeSpace(stateDir));
    }
    Optional<Path> parent = nearestExistingAncestor(stateDir);
    boolean creatable = parent.map(Files::isWritable).orElse(false);
    if (!creatable) {
      findings.problem("state folder " + stateDir + " does not exist and cannot be created");
    }
    return new PathReport(
        "state folder",
        stateDir,
        false,
        creatable,
        OptionalLong.empty(),
        creatable
            ? "does not exist yet; will be created (under writable " + parent.get() + ")"
            : "does not exist and "
                + parent.map(p -> p + " is not writable").orElse("has no existing parent"));
  }

  private PathReport database(Findings findings) {
    if (!Files.exists(databaseFile)) {
      return new PathReport(
          "database",
          databaseFile,
          false,
          Files.isWritable(stateDir) || !Files.exists(stateDir),
          OptionalLong.empty(),
          "does not exist yet; created on first run");
    }
    if (!Files.isRegularFile(databaseFile)) {
      findings.problem("database " + databaseFile + " is not a regular file");
      return new PathReport(
          "database", databaseFile, true, false, OptionalLong.empty(), "not a regular file");
    }
    boolean writable = Files.isWritable(databaseFile);
    if (!writable) {
      findings.problem("database " + databaseFile + " is not writable");
    }
    OptionalLong size;
    try {
      size = OptionalLong.of(Files.size(databaseFile));
    } catch (IOException e) {
      size = OptionalLong.empty();
    }
    return new PathReport(
        "database",
        databaseFile,
        true,
        writable,
        size,
        (writable ? "writable" : "not writable")
            + size.stream().mapToObj(s -> ", " + s + " bytes").findFirst().orElse(""));
  }

  private static String freeSpace(Path dir) {
    try {
      long free = Files.getFileStore(dir).getUsableSpace();
      return ", " + (free / (1024 * 1024)) + " MiB free";
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static Optional<Path> nearestExistingAncestor(Path path) {
    Path p = path.toAbsolutePath().getParent();
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    return Optional.ofNullable(p);
  }
}
