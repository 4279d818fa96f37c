package dev.overnight.core.coordinator;

import dev.overnight.api.queue.TaskFacts;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What an attempt that ended its turn shows it did, whatever the agent's exit said: its turns, tool
 * calls (how many of them edits), permission requests refused, the branch's diff and the quality
 * gate's verdict. The coordinator judges "completed with no change" from it.
 *
 * @param turns prompt turns taken
 * @param toolCalls tool calls made
 * @param edits tool calls that edit, delete or move a file
 * @param permissionsRefused permission requests the policy refused
 * @param diff what the branch changed against its base, when git could tell
 * @param gate the quality gate's verdict, when one ran
 */
record AttemptEvidence(
    long turns,
    long toolCalls,
    long edits,
    long permissionsRefused,
    Optional<WorkSummary> diff,
    Optional<GateResult> gate) {

  /**
   * Why the attempt changed nothing, when it did not: the diff is empty, or, when git could not
   * tell, the agent made no edit.
   */
  Optional<String> noChange() {
    boolean unchanged = diff.map(d -> d.files() == 0).orElse(edits == 0);
    if (!unchanged) {
      return Optional.empty();
    }
    return Optional.of(
        (diff.isPresent()
                ? "the branch changes nothing"
                : "no edit, and git could not tell the diff")
            + " after "
            + count(turns, "turn")
            + ", "
            + count(toolCalls, "tool call")
            + " ("
            + count(edits, "edit")
            + ")"
            + (permissionsRefused > 0
                ? ", " + count(permissionsRefused, "permission request") + " refused"
                : "")
            + gate.map(g -> "; quality gate " + g.summary()).orElse(""));
  }

  /** The evidence as task facts: the counts, and the no-change verdict when it applies. */
  Map<String, String> facts() {
    Map<String, String> facts = new LinkedHashMap<>();
    TaskFacts.TURNS.put(facts, turns);
    TaskFacts.TOOL_CALLS.put(facts, toolCalls);
    TaskFacts.PERMISSIONS_REFUSED.put(facts, permissionsRefused);
    noChange().ifPresent(why -> TaskFacts.NO_CHANGE.put(facts, why));
    return facts;
  }

  private static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
