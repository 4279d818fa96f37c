package dev.overnight.macos.internal;

import dev.overnight.api.constraint.ConstraintChecker;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.core.platform.JsonValues;
import dev.overnight.core.process.CommandResult;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code respect_dnd}: whether a Focus (Do Not Disturb, Work, Sleep…) is on, from the Focus
 * database {@code ~/Library/DoNotDisturb/DB/Assertions.json} (macOS 12 and later).
 *
 * <p>macOS has no public API for this. The file needs Full Disk Access for the process that runs
 * Java; without it the answer is {@code UNKNOWN} with how to grant it, plus a hint from the menu
 * bar's Focus icon. Known gap: a Focus turned on by a schedule may write no assertion and read as
 * off.
 */
public final class MacFocusChecker implements ConstraintChecker {
  static final String ASSERTIONS = "Library/DoNotDisturb/DB/Assertions.json";
  static final String MODES = "Library/DoNotDisturb/DB/ModeConfigurations.json";
  static final Duration COMMAND_TIMEOUT = Duration.ofMillis(700);
  static final List<List<String>> MENU_BAR_QUERIES =
      List.of(
          List.of("defaults", "read", "com.apple.controlcenter", "NSStatusItem Visible FocusModes"),
          List.of(
              "defaults", "read", "com.apple.controlcenter", "NSStatusItem VisibleCC FocusModes"));

  private final MacSystem system;

  /** Creates the checker. */
  public MacFocusChecker(MacSystem system) {
    this.system = system;
  }

  @Override
  public String name() {
    return "respect_dnd";
  }

  @Override
  public ConstraintResult check() {
    String text;
    try {
      text = system.readHomeFile(ASSERTIONS);
    } catch (NoSuchFileException e) {
      return ConstraintResult.unknown(
          "no Focus database at ~/" + ASSERTIONS + " (macOS 12 or later keeps one)");
    } catch (AccessDeniedException e) {
      return noPermission();
    } catch (FileSystemException e) {
      if (String.valueOf(e.getReason()).contains("Operation not permitted")) {
        return noPermission();
      }
      return ConstraintResult.unknown("cannot read ~/" + ASSERTIONS + ": " + e.getMessage());
    } catch (IOException | RuntimeException e) {
      return ConstraintResult.unknown("cannot read ~/" + ASSERTIONS + ": " + e);
    }
    Object json;
    try {
      json = JsonValues.parse(text);
    } catch (IllegalArgumentException e) {
      return ConstraintResult.unknown("cannot parse ~/" + ASSERTIONS + ": " + e.getMessage());
    }
    if (!(json instanceof Map<?, ?> root) || !(root.get("data") instanceof List<?> data)) {
      return ConstraintResult.unknown("~/" + ASSERTIONS + " has no data list: unknown format");
    }
    if (data.isEmpty()) {
      return off();
    }
    if (!(data.get(0) instanceof Map<?, ?> first)) {
      return ConstraintResult.unknown("~/" + ASSERTIONS + " has an unknown format");
    }
    Object records = first.get("storeAssertionRecords");
    if (records == null || (records instanceof List<?> l && l.isEmpty())) {
      return off();
    }
    if (!(records instanceof List<?> list)) {
      return ConstraintResult.unknown("~/" + ASSERTIONS + " has an unknown format");
    }
    Optional<String> mode = modeId(list.get(0));
    String named =
        mode.map(id -> modeName(id).map(n -> n + " (" + id + ")").orElse(id))
            .orElse("unnamed mode");
    return ConstraintResult.unsatisfied("Focus is on: " + named);
  }

  private static ConstraintResult off() {
    return ConstraintResult.satisfied("no Focus is on (~/" + ASSERTIONS + " holds no assertion)");
  }

  private ConstraintResult noPermission() {
    return ConstraintResult.unknown(
        "cannot read ~/"
            + ASSERTIONS
            + ": Full Disk Access is missing for the app that runs Java (grant it in System"
            + " Settings > Privacy & Security > Full Disk Access)"
            + menuBarHint());
  }

  /** A weak signal: the Focus icon shows in the menu bar while a Focus is on (unless pinned). */
  private String menuBarHint() {
    for (List<String> query : MENU_BAR_QUERIES) {
      CommandResult r;
      try {
        r = system.run(query, COMMAND_TIMEOUT);
      } catch (RuntimeException e) {
        continue;
      }
      if (r.succeeded()) {
        return r.firstLine().equals("1")
            ? "; the menu bar shows the Focus icon, which suggests a Focus is on"
            : "; the menu bar shows no Focus icon";
      }
    }
    return "";
  }

  private static Optional<String> modeId(Object record) {
    if (record instanceof Map<?, ?> r
        && r.get("assertionDetails") instanceof Map<?, ?> details
        && details.get("assertionDetailsModeIdentifier") instanceof String id) {
      return Optional.of(id);
    }
    return Optional.empty();
  }

  private Optional<String> modeName(String id) {
    try {
      Object json = JsonValues.parse(system.readHomeFile(MODES));
      if (json instanceof Map<?, ?> root
          && root.get("data") instanceof List<?> data
          && !data.isEmpty()
          && data.get(0) instanceof Map<?, ?> first
          && first.get("modeConfigurations") instanceof Map<?, ?> configs
          && configs.get(id) instanceof Map<?, ?> config
          && config.get("mode") instanceof Map<?, ?> mode
          && mode.get("name") instanceof String name) {
        return Optional.of(name);
      }
    } catch (IOException | RuntimeException e) {
      // The name is a nicety; the mode id alone is enough.
    }
    return Optional.empty();
  }
}
