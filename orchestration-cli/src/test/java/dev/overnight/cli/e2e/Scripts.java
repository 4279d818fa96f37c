package dev.overnight.cli.e2e;

/**
 * What the scripted agent does in these tests. Every script works through the client as a real
 * agent does: it writes files with {@code fs/write_text_file} and runs commands with {@code
 * terminal/create}, in the task's worktree.
 */
final class Scripts {
  private Scripts() {}

  /** The subject of the commit {@link #WORKER} makes. */
  static final String WORKER_COMMIT = "Night shift: notes";

  /**
   * A well-behaved agent: thinks, writes {@code NIGHT-NOTES.md}, commits it with git through a
   * terminal, reports 1,250 tokens and $0.01, and ends its turn.
   */
  static final String WORKER =
      """
      {"name": "scripted-agent", "recordPrompts": true, "steps": [
        {"thought": "Reading the task."},
        {"plan": [{"content": "Write the notes", "status": "in_progress"}]},
        {"write": {"path": "NIGHT-NOTES.md", "content": "Notes from the night shift.\\n"}},
        {"terminal": {"command": "sh", "args": ["-c",
          "git add -A && git commit -q -m 'Night shift: notes' && git log -1 --format=%s"]}},
        {"tokens": {"inputTokens": 1000, "outputTokens": 250}},
        {"usage": {"used": 1250, "size": 200000, "cost": 0.01}},
        {"message": "Committed the notes."}
      ]}
      """;

  /** Starts working, writes a file, then hangs silent: ignores cancel, answers nothing. */
  static final String HANGS =
      """
      {"name": "scripted-agent", "recordPrompts": true, "steps": [
        {"thought": "Thinking very hard."},
        {"write": {"path": "HALF-DONE.md", "content": "Work in progress.\\n"}},
        {"hang": true}
      ]}
      """;

  /** Starts working, then answers the prompt with a usage limit that resets at {@code epoch}. */
  static String usageLimit(long resetsAtEpochSecond) {
    return """
        {"name": "scripted-agent", "recordPrompts": true, "steps": [
          {"thought": "Working."},
          {"write": {"path": "STARTED.md", "content": "Started.\\n"}},
          {"usageLimit": {"message": "You've hit your limit · resets 3am (UTC)",
                          "resetsAt": %d}}
        ]}
        """
        .formatted(resetsAtEpochSecond);
  }

  /**
   * Two turns: the first writes {@code feature.txt} only; the second (the quality gate's retry)
   * writes the {@code FIXED} marker the gate looks for.
   */
  static final String FIXES_ON_SECOND_TURN =
      """
      {"name": "scripted-agent", "recordPrompts": true, "turns": [
        [{"write": {"path": "feature.txt", "content": "A feature.\\n"}},
         {"message": "Done, I think."}],
        [{"write": {"path": "FIXED", "content": "fixed\\n"}},
         {"message": "Fixed what the check found."}]
      ]}
      """;

  /**
   * Codex's limit as codex-acp answers it: {@code -32603} with {@code data.codexErrorInfo} and the
   * reset only in the words, {@code "Try again at Nov 25th, 2026 6:00 AM."}, in local time.
   */
  static final String CODEX_LIMIT =
      """
      {"name": "codex-acp", "recordPrompts": true, "steps": [
        {"thought": "Working."},
        {"error": {"code": -32603, "message": "Internal error", "data": {
          "message": "You've hit your usage limit. Try again at Nov 25th, 2026 6:00 AM.",
          "codexErrorInfo": "usageLimitExceeded"}}}
      ]}
      """;
}
