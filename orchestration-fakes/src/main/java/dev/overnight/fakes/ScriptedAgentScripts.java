package dev.overnight.fakes;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The scripts {@link ScriptedAgent} knows by name: the demo turn and one script per fault it can
 * play ({@code --fault NAME}).
 *
 * @since 0.1.0
 */
public final class ScriptedAgentScripts {

  /**
   * The demo: think, plan, ask permission to write {@code hello.txt}, write it through {@code
   * fs/write_text_file}, read it back, run {@code ls} through {@code terminal/create}, report,
   * finish.
   */
  public static final String DEMO =
      "{\"name\":\"scripted-agent\",\"modes\":[\"default\",\"plan\"],\"steps\":["
          + "{\"thought\":\"Looking at the repository.\"},"
          + "{\"plan\":[{\"content\":\"Write hello.txt\",\"status\":\"in_progress\"},"
          + "{\"content\":\"Check it with ls\",\"status\":\"pending\"}]},"
          + "{\"toolCall\":{\"id\":\"call_1\",\"title\":\"Write hello.txt\",\"kind\":\"edit\","
          + "\"locations\":[\"hello.txt\"]}},"
          + "{\"permission\":{\"id\":\"call_1\",\"title\":\"Write hello.txt\",\"kind\":\"edit\","
          + "\"locations\":[\"hello.txt\"]}},"
          + "{\"write\":{\"path\":\"hello.txt\",\"content\":\"Hello from the night shift.\\n\"}},"
          + "{\"toolCallUpdate\":{\"id\":\"call_1\",\"status\":\"completed\"}},"
          + "{\"read\":{\"path\":\"hello.txt\"}},"
          + "{\"terminal\":{\"command\":\"ls\",\"args\":[\"-1\"]}},"
          + "{\"plan\":[{\"content\":\"Write hello.txt\",\"status\":\"completed\"},"
          + "{\"content\":\"Check it with ls\",\"status\":\"completed\"}]},"
          + "{\"usage\":{\"used\":1200,\"size\":200000,\"cost\":0.0042}},"
          + "{\"message\":\"Wrote hello.txt.\"}"
          + "]}";

  private static final Map<String, String> FAULTS = new LinkedHashMap<>();

  static {
    FAULTS.put("exit-at-start", "{\"initialize\":{\"exit\":3}}");
    FAULTS.put("never-initialize", "{\"initialize\":{\"hang\":true}}");
    // A wrong key as the real adapters meet it: a word on stderr, then session/new refused.
    FAULTS.put(
        "session-new-error",
        "{\"startupStderr\":\"scripted agent: the model service answered 500\","
            + "\"sessionNew\":{\"error\":{\"code\":-32603,\"message\":\"Internal error\","
            + "\"data\":{\"details\":\"upstream request failed\"}}}}");
    FAULTS.put(
        "auth-error",
        "{\"startupStderr\":\"scripted agent: 401 invalid x-api-key\","
            + "\"sessionNew\":{\"error\":{\"code\":-32000,"
            + "\"message\":\"Authentication required\"}}}");
    FAULTS.put("exit-mid-turn", steps("{\"thought\":\"About to crash.\"},{\"exit\":4}"));
    FAULTS.put("hang", steps("{\"thought\":\"Thinking very hard.\"},{\"hang\":true}"));
    FAULTS.put("non-json", steps("{\"nonJson\":\"Loading model weights... done\"}"));
    FAULTS.put("huge-line", steps("{\"hugeLine\":52428800}"));
    FAULTS.put("flood", steps("{\"flood\":100000},{\"message\":\"flood done\"}"));
    FAULTS.put("unknown-id", steps("{\"unknownResponse\":true}"));
    FAULTS.put("read-passwd", steps("{\"read\":{\"path\":\"/etc/passwd\"}}"));
    FAULTS.put("read-dotdot", steps("{\"read\":{\"path\":\"../../x\"}}"));
    FAULTS.put(
        "read-symlink",
        steps(
            "{\"symlink\":{\"path\":\"escape\",\"target\":\"/etc\"}},"
                + "{\"read\":{\"path\":\"escape/passwd\"}}"));
    FAULTS.put(
        "usage-limit",
        steps(
            "{\"thought\":\"Working.\"},{\"usageLimit\":\"You've hit your limit · resets 3am (UTC)\"}"));
    FAULTS.put(
        "wait-for-cancel",
        steps("{\"thought\":\"Working until told to stop.\"},{\"waitForCancel\":true}"));
  }

  private ScriptedAgentScripts() {}

  /** The names {@link #fault} accepts. */
  public static Set<String> faults() {
    return FAULTS.keySet();
  }

  /**
   * The script of a fault.
   *
   * @throws IllegalArgumentException for an unknown name, listing the known ones
   */
  public static String fault(String name) {
    String script = FAULTS.get(name);
    if (script == null) {
      throw new IllegalArgumentException("unknown fault " + name + "; known: " + FAULTS.keySet());
    }
    return script;
  }

  private static String steps(String steps) {
    return "{\"name\":\"scripted-agent\",\"steps\":[" + steps + "]}";
  }
}
