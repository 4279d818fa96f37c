package dev.overnight.api.agent;

import java.util.Locale;

/**
 * What kind of action a tool call performs; drives the permission policy and the UI.
 *
 * @since 0.1.0
 */
public enum ToolKind {
  /** Reads files or data. */
  READ,
  /** Modifies files. */
  EDIT,
  /** Removes files. */
  DELETE,
  /** Moves or renames files. */
  MOVE,
  /** Searches. */
  SEARCH,
  /** Runs a command or code. */
  EXECUTE,
  /** Internal reasoning or planning. */
  THINK,
  /** Retrieves data from the network. */
  FETCH,
  /** Changes the session mode. */
  SWITCH_MODE,
  /** Anything else, including kinds this version does not know. */
  OTHER;

  /** Parses the protocol's snake_case name; unknown names give {@link #OTHER}. */
  public static ToolKind fromWire(String name) {
    if (name == null) {
      return OTHER;
    }
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return OTHER;
    }
  }

  /** The protocol's snake_case name. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
