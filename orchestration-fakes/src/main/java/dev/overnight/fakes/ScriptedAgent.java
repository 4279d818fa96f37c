package dev.overnight.fakes;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.config.AgentCommand;
import dev.overnight.api.config.ConfigValue;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An ACP agent that follows a script instead of a model: the stand-in for Claude Code or Codex in
 * demos and end-to-end tests. It speaks ACP v1 over stdio like a real agent (its own request ids,
 * requests to the client while a prompt is pending, cancellation) and can also misbehave on
 * purpose.
 *
 * <h2>Running it</h2>
 *
 * <pre>
 * java -cp … dev.overnight.fakes.ScriptedAgent [--script FILE | --script-json JSON
 *     | --fault NAME] [--record FILE]
 * </pre>
 *
 * {@link #command} builds that command line as a config {@code agents} entry. With no script the
 * agent plays {@link ScriptedAgentScripts#DEMO}. {@code --record FILE} appends one JSON line per
 * answer the client gave (permission outcomes, file and terminal results, errors), for tests to
 * check.
 *
 * <h2>Scripts</h2>
 *
 * A script is a JSON object:
 *
 * <pre>{@code
 * {
 *   "name": "scripted-agent",          // agentInfo.name
 *   "modes": ["default", "plan"],      // offered session modes (first is current)
 *   "model": "scripted-model",         // the model session/new names as current (unstable "models")
 *   "loadSession": false,              // offer session/load
 *   "authMethod": "api-key",           // require authenticate with this method id first;
 *   "authVariable": "SCRIPTED_KEY",    //   which succeeds only if this variable is set
 *   "initialize": {"exit": 3},         // or {"hang": true}: misbehave at start instead
 *   "startupStderr": "…",              // printed on stderr when initialize arrives
 *   "sessionNew": {"error": {"code", "message", "data"}},  // or {"exit": 3}: fail session/new
 *   "recordPrompts": false,            // with --record, also record every prompt's text
 *   "turns": [[ step, ... ], ...]      // one list per prompt; the last repeats ("steps" = one turn)
 * }
 * }</pre>
 *
 * Steps, each an object with one key (paths are relative to the session's cwd unless absolute):
 *
 * <ul>
 *   <li>{@code {"thought": "…"}}, {@code {"message": "…"}}: a thought or message chunk;
 *   <li>{@code {"plan": [{"content": "…", "status": "pending"}]}}: a plan;
 *   <li>{@code {"toolCall": {"id", "title", "kind", "locations": [..]}}}, {@code {"toolCallUpdate":
 *       {"id", "status"}}}: tool call progress;
 *   <li>{@code {"permission": {"id", "title", "kind", "locations", "ifRejected": "stop"}}}: asks
 *       {@code session/request_permission}; a rejection with {@code "stop"} ends the turn;
 *   <li>{@code {"write": {"path", "content"}}}, {@code {"read": {"path"}}}: {@code fs/*} requests;
 *   <li>{@code {"terminal": {"command", "args", "cwd", "outputByteLimit", "kill"}}}: create,
 *       (kill,) wait, output, release;
 *   <li>{@code {"symlink": {"path", "target"}}}: makes a link itself (as agents' own tools can);
 *   <li>{@code {"exec": {"command", "args"}}}: runs a command itself in the session's cwd, as
 *       Claude Code and Codex run their tools, and reports (and records) its exit code and output;
 *   <li>{@code {"spawn": ["sh", "-c", "…"]}}: runs a command itself, in the session's cwd, and
 *       waits for it (as agents that run commands on their own do); its output is discarded, and
 *       what it leaves running (a {@code sleep 40 &}) lives on as the agent's;
 *   <li>{@code {"usage": {"used", "size", "cost", "rateLimit"}}} (a {@code rateLimit} object goes
 *       out as the update's {@code _meta["_claude/rateLimit"]}, as Claude's adapter sends its
 *       rate-limit status), {@code {"mode": "plan"}}, {@code {"unknownUpdate": true}}, {@code
 *       {"unknownRequest": "x/y"}}, {@code {"stderr": "…"}};
 *   <li>{@code {"tokens": {"inputTokens", "outputTokens", …}}}: the token usage the turn's {@code
 *       session/prompt} answer reports (as the Claude and Codex adapters do);
 *   <li>{@code {"waitForCancel": true}}: blocks until {@code session/cancel}, then stops cancelled;
 *   <li>{@code {"stop": "end_turn"}}: ends the turn with that stop reason (the default at the end);
 *   <li>{@code {"usageLimit": "…"}}, {@code {"error": {"code", "message", "data"}}}: answers the
 *       prompt with an error; {@code {"usageLimit": {"message", "resetsAt"}}} first reports the
 *       rejection and its reset time (epoch seconds) in a {@code usage_update}'s {@code
 *       _meta["_claude/rateLimit"]}, as Claude's adapter does;
 *   <li>faults: {@code {"exit": 4}}, {@code {"hang": true}} (silent, ignores cancel), {@code
 *       {"nonJson": "…"}}, {@code {"hugeLine": bytes}}, {@code {"flood": count}}, {@code
 *       {"unknownResponse": true}}.
 * </ul>
 *
 * <p>Uses only the JDK and Jackson, so it starts in a plain JVM. It has its own Jackson mapper, the
 * one place besides core's {@code dev.overnight.core.json.OvernightJson} that makes one: the fakes
 * depend on the API only, so that core's own tests can use them, and cannot see core's mapper. An
 * agent's side of the ACP wire needs no configuration beyond Jackson's defaults.
 *
 * @since 0.1.0
 */
public final class ScriptedAgent {
  /** Its own mapper: the fakes cannot see core's (see the class comment). */
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final JsonNode script;
  private final OutputStream out;
  private final Optional<Path> record;
  private final Object writeLock = new Object();
  private final AtomicInteger nextId = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final AtomicInteger turnIndex = new AtomicInteger();
  private volatile ObjectNode turnTokens;
  private volatile String sessionId;
  private volatile Path cwd = Path.of("").toAbsolutePath();
  private volatile boolean authenticated;
  private volatile CountDownLatch cancelled = new CountDownLatch(1);

  private ScriptedAgent(JsonNode script, OutputStream out, Optional<Path> record) {
    this.script = script;
    this.out = out;
    this.record = record;
  }

  /** Runs the agent on this process's stdio until stdin closes. */
  public static void main(String[] args) throws IOException {
    JsonNode script = MAPPER.readTree(ScriptedAgentScripts.DEMO);
    Optional<Path> record = Optional.empty();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--script":
          script = MAPPER.readTree(Files.readString(Path.of(args[++i])));
          break;
        case "--script-json":
          script = MAPPER.readTree(args[++i]);
          break;
        case "--fault":
          script = MAPPER.readTree(ScriptedAgentScripts.fault(args[++i]));
          break;
        case "--record":
          record = Optional.of(Path.of(args[++i]));
          break;
        default:
          System.err.println("scripted agent: unknown argument " + args[i]);
          System.exit(2);
      }
    }
    OutputStream stdout = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 65536);
    new ScriptedAgent(script, stdout, record).run();
    System.exit(0);
  }

  /**
   * The command line that runs this agent in a fresh JVM, as a config {@code agents} entry.
   *
   * @param args the agent's arguments, e.g. {@code "--fault", "hang"}
   */
  public static AgentCommand command(String... args) {
    List<String> argv = argv(args);
    return new AgentCommand(
        ConfigValue.of(argv.get(0)), argv.subList(1, argv.size()), Map.of(), Optional.empty());
  }

  /** The full command line (java executable first) that runs this agent. */
  public static List<String> argv(String... args) {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> argv = new ArrayList<>();
    argv.add(java);
    argv.addAll(List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx96m"));
    argv.add("-cp");
    argv.add(classPath());
    argv.add(ScriptedAgent.class.getName());
    argv.addAll(Arrays.asList(args));
    return argv;
  }

  private static String classPath() {
    List<String> entries = new ArrayList<>();
    for (Class<?> c :
        List.of(
            ScriptedAgent.class,
            ObjectMapper.class,
            JsonParser.class,
            JsonProperty.class,
            AgentCommand.class)) {
      try {
        String entry =
            Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        if (!entries.contains(entry)) {
          entries.add(entry);
        }
      } catch (URISyntaxException | NullPointerException e) {
        throw new IllegalStateException("cannot locate the class path entry of " + c, e);
      }
    }
    return String.join(java.io.File.pathSeparator, entries);
  }

  // ---------------------------------------------------------------- the protocol loop

  private void run() throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8), 65536);
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode msg = MAPPER.readTree(line);
      JsonNode method = msg.get("method");
      JsonNode id = msg.get("id");
      if (method != null && id != null) {
        onRequest(id, method.asText(), msg.path("params"));
      } else if (method != null) {
        if (method.asText().equals("session/cancel")) {
          cancelled.countDown();
        }
      } else if (id != null) {
        CompletableFuture<JsonNode> f = pending.remove(id.asInt());
        if (f != null) {
          f.complete(msg);
        }
      }
    }
  }

  private void onRequest(JsonNode id, String method, JsonNode params) {
    switch (method) {
      case "initialize":
        initialize(id, params);
        break;
      case "authenticate":
        authenticate(id, params);
        break;
      case "session/new":
      case "session/load":
        newSession(id, method, params);
        break;
      case "session/set_mode":
        notifyUpdate(
            update("current_mode_update").put("currentModeId", params.path("modeId").asText()));
        respond(id, MAPPER.createObjectNode());
        break;
      case "session/set_config_option":
        respond(id, MAPPER.createObjectNode().set("configOptions", MAPPER.createArrayNode()));
        break;
      case "session/prompt":
        if (script.path("recordPrompts").asBoolean(false)) {
          ObjectNode prompt = MAPPER.createObjectNode();
          prompt.set("prompt", params.path("prompt"));
          recordAnswer("prompt", "session/prompt", prompt);
        }
        Thread turn = new Thread(() -> runTurn(id), "scripted-turn");
        turn.setDaemon(true);
        turn.start();
        break;
      default:
        respondError(id, -32601, "Method not found: " + method, null);
    }
  }

  private void initialize(JsonNode id, JsonNode params) {
    if (script.has("startupStderr")) {
      System.err.println(script.get("startupStderr").asText());
      System.err.flush();
    }
    JsonNode fault = script.path("initialize");
    if (fault.has("exit")) {
      System.err.println("scripted agent: exiting at start as scripted");
      System.err.flush();
      Runtime.getRuntime().halt(fault.get("exit").asInt());
    }
    if (fault.path("hang").asBoolean()) {
      return;
    }
    ObjectNode result = MAPPER.createObjectNode();
    result.put("protocolVersion", 1);
    ObjectNode caps = result.putObject("agentCapabilities");
    caps.put("loadSession", script.path("loadSession").asBoolean(false));
    ObjectNode prompt = caps.putObject("promptCapabilities");
    prompt.put("image", false);
    prompt.put("audio", false);
    prompt.put("embeddedContext", true);
    ObjectNode info = result.putObject("agentInfo");
    info.put("name", script.path("name").asText("scripted-agent"));
    info.put("version", "1.0.0");
    ArrayNode auth = result.putArray("authMethods");
    if (script.has("authMethod")) {
      ObjectNode m = auth.addObject();
      m.put("id", script.get("authMethod").asText());
      m.put("name", "API key from the environment");
    }
    respond(id, result);
  }

  private void authenticate(JsonNode id, JsonNode params) {
    String var = script.path("authVariable").asText("SCRIPTED_AGENT_KEY");
    if (!params.path("methodId").asText().equals(script.path("authMethod").asText())) {
      respondError(id, -32602, "Invalid params: unknown auth method", null);
    } else if (System.getenv(var) == null) {
      respondError(id, -32603, "Internal error: " + var + " is not set", null);
    } else {
      authenticated = true;
      respond(id, MAPPER.createObjectNode());
    }
  }

  private void newSession(JsonNode id, String method, JsonNode params) {
    JsonNode fault = script.path("sessionNew");
    if (fault.has("exit")) {
      System.err.println("scripted agent: exiting at session/new as scripted");
      System.err.flush();
      Runtime.getRuntime().halt(fault.get("exit").asInt());
    }
    JsonNode refusal = fault.path("error");
    if (refusal.isObject()) {
      respondError(
          id,
          refusal.path("code").asInt(-32603),
          refusal.path("message").asText("Internal error"),
          refusal.path("data"));
      return;
    }
    if (script.has("authMethod") && !authenticated) {
      respondError(id, -32000, "Authentication required", null);
      return;
    }
    if (!params.path("mcpServers").isArray()) {
      respondError(id, -32602, "Invalid params: mcpServers is required", null);
      return;
    }
    cwd = Path.of(params.path("cwd").asText(cwd.toString()));
    ObjectNode result = MAPPER.createObjectNode();
    if (method.equals("session/new")) {
      sessionId = "scripted-" + ProcessHandle.current().pid();
      result.put("sessionId", sessionId);
    } else {
      sessionId = params.path("sessionId").asText();
      notifyUpdate(
          update("user_message_chunk")
              .set("content", text("an earlier prompt, replayed by session/load")));
    }
    JsonNode modes = script.path("modes");
    if (modes.isArray() && modes.size() > 0) {
      ObjectNode m = result.putObject("modes");
      m.put("currentModeId", modes.get(0).asText());
      ArrayNode available = m.putArray("availableModes");
      for (JsonNode mode : modes) {
        available.addObject().put("id", mode.asText()).put("name", mode.asText());
      }
    }
    if (script.hasNonNull("model")) {
      String model = script.get("model").asText();
      ObjectNode models = result.putObject("models");
      models.put("currentModelId", model);
      models.putArray("availableModels").addObject().put("modelId", model).put("name", model);
    }
    respond(id, result);
  }

  private JsonNode stepsOfNextTurn() {
    if (script.has("turns")) {
      JsonNode turns = script.get("turns");
      int i = Math.min(turnIndex.getAndIncrement(), turns.size() - 1);
      return turns.get(i);
    }
    return script.path("steps");
  }

  private void runTurn(JsonNode promptId) {
    cancelled = new CountDownLatch(1);
    turnTokens = null;
    String stop = "end_turn";
    try {
      for (JsonNode step : stepsOfNextTurn()) {
        if (cancelled.getCount() == 0) {
          stop = "cancelled";
          break;
        }
        Optional<String> end = runStep(promptId, step);
        if (end.isPresent()) {
          if (end.get().isEmpty()) {
            return; // The prompt was already answered (an error).
          }
          stop = end.get();
          break;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ObjectNode result = MAPPER.createObjectNode().put("stopReason", stop);
    ObjectNode tokens = turnTokens;
    if (tokens != null) {
      result.set("usage", tokens);
    }
    respond(promptId, result);
  }

  /** Runs one step; a present result ends the turn with that stop reason ("" = answered). */
  private Optional<String> runStep(JsonNode promptId, JsonNode step) throws IOException {
    String kind = step.fieldNames().hasNext() ? step.fieldNames().next() : "";
    JsonNode arg = step.path(kind);
    switch (kind) {
      case "thought":
        notifyUpdate(update("agent_thought_chunk").set("content", text(arg.asText())));
        return Optional.empty();
      case "message":
        notifyUpdate(update("agent_message_chunk").set("content", text(arg.asText())));
        return Optional.empty();
      case "plan":
        {
          ObjectNode u = update("plan");
          ArrayNode entries = u.putArray("entries");
          for (JsonNode e : arg) {
            entries
                .addObject()
                .put("content", e.path("content").asText())
                .put("priority", e.path("priority").asText("medium"))
                .put("status", e.path("status").asText("pending"));
          }
          notifyUpdate(u);
          return Optional.empty();
        }
      case "toolCall":
        {
          ObjectNode u = update("tool_call");
          u.put("toolCallId", arg.path("id").asText("call_1"));
          u.put("title", arg.path("title").asText("a tool call"));
          u.put("kind", arg.path("kind").asText("other"));
          u.put("status", "pending");
          u.set("locations", locations(arg.path("locations")));
          notifyUpdate(u);
          return Optional.empty();
        }
      case "toolCallUpdate":
        notifyUpdate(
            update("tool_call_update")
                .put("toolCallId", arg.path("id").asText("call_1"))
                .put("status", arg.path("status").asText("completed")));
        return Optional.empty();
      case "permission":
        return permission(arg);
      case "write":
        {
          ObjectNode p = params();
          p.put("path", absolute(arg.path("path").asText()));
          p.put("content", arg.path("content").asText());
          JsonNode answer = request("fs/write_text_file", p);
          recordAnswer("write", arg.path("path").asText(), answer);
          report("write " + arg.path("path").asText(), answer);
          return Optional.empty();
        }
      case "read":
        {
          ObjectNode p = params();
          p.put("path", absolute(arg.path("path").asText()));
          JsonNode answer = request("fs/read_text_file", p);
          recordAnswer("read", arg.path("path").asText(), answer);
          report("read " + arg.path("path").asText(), answer);
          return Optional.empty();
        }
      case "terminal":
        return terminal(arg);
      case "exec":
        return exec(arg);
      case "symlink":
        Files.createSymbolicLink(
            Path.of(absolute(arg.path("path").asText())), Path.of(arg.path("target").asText()));
        return Optional.empty();
      case "spawn":
        spawn(arg);
        return Optional.empty();
      case "usage":
        {
          ObjectNode u = update("usage_update");
          u.put("used", arg.path("used").asLong());
          u.put("size", arg.path("size").asLong(200_000));
          if (arg.has("cost")) {
            u.putObject("cost").put("amount", arg.get("cost").asDouble()).put("currency", "USD");
          }
          if (arg.has("rateLimit")) {
            u.putObject("_meta").set("_claude/rateLimit", arg.get("rateLimit"));
          }
          notifyUpdate(u);
          return Optional.empty();
        }
      case "tokens":
        {
          ObjectNode tokens = MAPPER.createObjectNode();
          long total = 0;
          for (String field :
              List.of("inputTokens", "outputTokens", "cachedReadTokens", "cachedWriteTokens")) {
            long n = arg.path(field).asLong(0);
            tokens.put(field, n);
            total += n;
          }
          tokens.put("totalTokens", total);
          turnTokens = tokens;
          return Optional.empty();
        }
      case "mode":
        notifyUpdate(update("current_mode_update").put("currentModeId", arg.asText()));
        return Optional.empty();
      case "unknownUpdate":
        {
          ObjectNode u = update("brand_new_kind_from_the_future");
          u.put("someField", 42);
          u.putObject("nested").put("x", "y");
          notifyUpdate(u);
          ObjectNode chunk = update("agent_message_chunk").put("unexpectedField", true);
          chunk.set("content", text("tolerated"));
          notifyUpdate(chunk);
          return Optional.empty();
        }
      case "unknownRequest":
        {
          JsonNode answer = request(arg.asText(), params());
          recordAnswer("request", arg.asText(), answer);
          return Optional.empty();
        }
      case "stderr":
        System.err.println(arg.asText());
        System.err.flush();
        return Optional.empty();
      case "waitForCancel":
        await(cancelled);
        return Optional.of("cancelled");
      case "stop":
        return Optional.of(arg.asText("end_turn"));
      case "usageLimit":
        {
          String message = arg.isObject() ? arg.path("message").asText() : arg.asText();
          if (arg.has("resetsAt")) {
            ObjectNode u = update("usage_update");
            u.put("used", 0);
            u.put("size", 200_000);
            u.putObject("_meta")
                .putObject("_claude/rateLimit")
                .put("status", "rejected")
                .put("resetsAt", arg.get("resetsAt").asLong());
            notifyUpdate(u);
          }
          respondError(
              promptId,
              -32603,
              "Internal error: "
                  + (message.isEmpty() ? "You've hit your limit · resets 3am" : message),
              MAPPER.createObjectNode().put("errorKind", "rate_limit"));
          return Optional.of("");
        }
      case "error":
        respondError(
            promptId,
            arg.path("code").asInt(-32603),
            arg.path("message").asText("Internal error"),
            arg.get("data"));
        return Optional.of("");
      case "exit":
        flush();
        System.err.println("scripted agent: exiting mid-turn as scripted");
        System.err.flush();
        Runtime.getRuntime().halt(arg.asInt(1));
        return Optional.empty();
      case "hang":
        flush();
        await(new CountDownLatch(1));
        return Optional.of("");
      case "nonJson":
        writeRaw((arg.asText("this is not JSON") + "\n").getBytes(StandardCharsets.UTF_8));
        return Optional.empty();
      case "hugeLine":
        hugeLine(arg.asLong());
        return Optional.empty();
      case "flood":
        {
          long n = arg.asLong();
          for (long i = 0; i < n; i++) {
            notifyUpdate(update("agent_message_chunk").set("content", text("update " + i)), false);
          }
          flush();
          return Optional.empty();
        }
      case "unknownResponse":
        {
          ObjectNode r = MAPPER.createObjectNode();
          r.put("jsonrpc", "2.0");
          r.put("id", 987_654);
          r.putObject("result");
          write(r);
          return Optional.empty();
        }
      default:
        throw new IllegalArgumentException("unknown script step: " + step);
    }
  }

  private Optional<String> permission(JsonNode arg) {
    ObjectNode p = params();
    ObjectNode call = p.putObject("toolCall");
    call.put("toolCallId", arg.path("id").asText("call_1"));
    call.put("title", arg.path("title").asText("a tool call"));
    call.put("kind", arg.path("kind").asText("edit"));
    call.put("status", "pending");
    call.set("locations", locations(arg.path("locations")));
    ArrayNode options = p.putArray("options");
    options
        .addObject()
        .put("optionId", "allow-always")
        .put("name", "Always")
        .put("kind", "allow_always");
    options.addObject().put("optionId", "allow").put("name", "Allow").put("kind", "allow_once");
    options.addObject().put("optionId", "reject").put("name", "Reject").put("kind", "reject_once");
    JsonNode answer = request("session/request_permission", p);
    recordAnswer("permission", arg.path("title").asText(), answer);
    JsonNode outcome = answer.path("result").path("outcome");
    boolean allowed =
        outcome.path("outcome").asText().equals("selected")
            && outcome.path("optionId").asText().startsWith("allow");
    if (outcome.path("outcome").asText().equals("cancelled")) {
      return Optional.of("cancelled");
    }
    if (!allowed && arg.path("ifRejected").asText("stop").equals("stop")) {
      notifyUpdate(update("agent_message_chunk").set("content", text("Permission refused.")));
      return Optional.of("end_turn");
    }
    return Optional.empty();
  }

  private Optional<String> terminal(JsonNode arg) {
    ObjectNode create = params();
    create.put("command", arg.path("command").asText());
    ArrayNode args = create.putArray("args");
    arg.path("args").forEach(a -> args.add(a.asText()));
    if (arg.has("cwd")) {
      create.put("cwd", absolute(arg.get("cwd").asText()));
    }
    if (arg.has("outputByteLimit")) {
      create.put("outputByteLimit", arg.get("outputByteLimit").asLong());
    }
    JsonNode created = request("terminal/create", create);
    recordAnswer("terminal/create", arg.path("command").asText(), created);
    if (created.has("error")) {
      report("terminal " + arg.path("command").asText(), created);
      return Optional.empty();
    }
    String terminalId = created.path("result").path("terminalId").asText();
    ObjectNode call = update("tool_call");
    call.put("toolCallId", "term_" + terminalId);
    call.put("title", "Run " + arg.path("command").asText());
    call.put("kind", "execute");
    call.put("status", "in_progress");
    call.putArray("content").addObject().put("type", "terminal").put("terminalId", terminalId);
    notifyUpdate(call);
    ObjectNode byId = params().put("terminalId", terminalId);
    if (arg.path("kill").asBoolean(false)) {
      request("terminal/kill", byId);
    }
    JsonNode exit = request("terminal/wait_for_exit", byId);
    JsonNode output = request("terminal/output", byId);
    request("terminal/release", byId);
    ObjectNode summary = MAPPER.createObjectNode();
    summary.set("exit", exit.path("result"));
    summary.set("output", output.path("result"));
    recordAnswer("terminal", arg.path("command").asText(), summary);
    notifyUpdate(
        update("tool_call_update")
            .put("toolCallId", "term_" + terminalId)
            .put("status", "completed"));
    notifyUpdate(
        update("agent_message_chunk")
            .set(
                "content",
                text(
                    "exit "
                        + exit.path("result").path("exitCode").asText()
                        + ": "
                        + output.path("result").path("output").asText())));
    return Optional.empty();
  }

  /** Runs a command as the agent's own process does, not through the client. */
  private Optional<String> exec(JsonNode arg) throws IOException {
    List<String> argv = new ArrayList<>();
    argv.add(arg.path("command").asText());
    arg.path("args").forEach(a -> argv.add(a.asText()));
    ObjectNode result = MAPPER.createObjectNode();
    try {
      Process process =
          new ProcessBuilder(argv)
              .directory(cwd.toFile())
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      result.put("exitCode", process.waitFor());
      result.put("output", output);
    } catch (IOException e) {
      result.put("exitCode", -1);
      result.put("output", "cannot run " + argv.get(0) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + argv.get(0), e);
    }
    recordAnswer("exec", arg.path("command").asText(), result);
    notifyUpdate(
        update("agent_message_chunk")
            .set(
                "content",
                text(
                    "exec exit "
                        + result.path("exitCode").asInt()
                        + ": "
                        + result.path("output").asText())));
    return Optional.empty();
  }

  private void report(String what, JsonNode answer) {
    String text =
        answer.has("error")
            ? what + " failed: " + answer.get("error").path("message").asText()
            : what + " done";
    notifyUpdate(update("agent_message_chunk").set("content", text(text)));
  }

  private void recordAnswer(String step, String subject, JsonNode answer) {
    if (record.isEmpty()) {
      return;
    }
    ObjectNode line = MAPPER.createObjectNode();
    line.put("step", step);
    line.put("subject", subject);
    line.set("answer", answer);
    try {
      Files.writeString(
          record.get(),
          line + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void hugeLine(long bytes) {
    String head =
        "{\"jsonrpc\":\"2.0\",\"method\":\"session/update\",\"params\":{\"sessionId\":\""
            + sessionId
            + "\",\"update\":{\"sessionUpdate\":\"agent_message_chunk\",\"content\":{\"type\":"
            + "\"text\",\"text\":\"";
    byte[] chunk = new byte[64 * 1024];
    Arrays.fill(chunk, (byte) 'x');
    synchronized (writeLock) {
      try {
        out.write(head.getBytes(StandardCharsets.UTF_8));
        for (long written = 0; written < bytes; written += chunk.length) {
          out.write(chunk, 0, (int) Math.min(chunk.length, bytes - written));
        }
        out.write("\"}}}}\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException e) {
        // The client stopped reading: what a bounded client does.
        System.err.println("scripted agent: the huge line was cut off: " + e.getMessage());
      }
    }
  }

  // ---------------------------------------------------------------- message helpers

  private ObjectNode params() {
    return MAPPER.createObjectNode().put("sessionId", sessionId);
  }

  private static ObjectNode update(String kind) {
    return MAPPER.createObjectNode().put("sessionUpdate", kind);
  }

  private static ObjectNode text(String text) {
    return MAPPER.createObjectNode().put("type", "text").put("text", text);
  }

  private ArrayNode locations(JsonNode paths) {
    ArrayNode out = MAPPER.createArrayNode();
    for (JsonNode p : paths) {
      out.addObject().put("path", absolute(p.asText()));
    }
    return out;
  }

  private void spawn(JsonNode command) throws IOException {
    List<String> argv = new ArrayList<>();
    command.forEach(a -> argv.add(a.asText()));
    Process p =
        new ProcessBuilder(argv)
            .directory(cwd.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String absolute(String path) {
    return path.startsWith("/") ? path : cwd.resolve(path).toString();
  }

  private void notifyUpdate(ObjectNode update) {
    notifyUpdate(update, true);
  }

  private void notifyUpdate(ObjectNode update, boolean flush) {
    ObjectNode msg = MAPPER.createObjectNode();
    msg.put("jsonrpc", "2.0");
    msg.put("method", "session/update");
    ObjectNode params = msg.putObject("params");
    params.put("sessionId", sessionId);
    params.set("update", update);
    write(msg, flush);
  }

  private JsonNode request(String method, ObjectNode params) {
    int id = nextId.getAndIncrement();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    ObjectNode msg = MAPPER.createObjectNode();
    msg.put("jsonrpc", "2.0");
    msg.put("id", id);
    msg.put("method", method);
    msg.set("params", params);
    write(msg);
    try {
      return answer.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  private void respond(JsonNode id, JsonNode result) {
    ObjectNode msg = MAPPER.createObjectNode();
    msg.put("jsonrpc", "2.0");
    msg.set("id", id);
    msg.set("result", result);
    write(msg);
  }

  private void respondError(JsonNode id, int code, String message, JsonNode data) {
    ObjectNode msg = MAPPER.createObjectNode();
    msg.put("jsonrpc", "2.0");
    msg.set("id", id);
    ObjectNode error = msg.putObject("error");
    error.put("code", code);
    error.put("message", message);
    if (data != null && !data.isMissingNode()) {
      error.set("data", data);
    }
    write(msg);
  }

  private void write(ObjectNode msg) {
    write(msg, true);
  }

  private void write(ObjectNode msg, boolean flush) {
    try {
      byte[] bytes = MAPPER.writeValueAsBytes(msg);
      synchronized (writeLock) {
        out.write(bytes);
        out.write('\n');
        if (flush) {
          out.flush();
        }
      }
    } catch (IOException e) {
      // The client went away: nothing left to do.
      Runtime.getRuntime().halt(0);
    }
  }

  private void writeRaw(byte[] bytes) {
    synchronized (writeLock) {
      try {
        out.write(bytes);
        out.flush();
      } catch (IOException e) {
        Runtime.getRuntime().halt(0);
      }
    }
  }

  private void flush() {
    synchronized (writeLock) {
      try {
        out.flush();
      } catch (IOException e) {
        Runtime.getRuntime().halt(0);
      }
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
