package dev.overnight.acp.internal;

import dev.overnight.api.agent.AgentCapabilities;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What Overnight knows about one kind of agent beyond the protocol: how it is usually installed and
 * started, where its credentials live, how to tell a user to log in, whether it needs {@code
 * authenticate} before {@code session/new}, and which of its protocol extensions Overnight reads.
 * The session code asks the profile wherever agents differ, so it never tests which agent it runs.
 *
 * @param id the provider id
 * @param displayName the agent's name for people
 * @param defaultCommands command lines to try, in order, when the config names none
 * @param installHint how to install the agent
 * @param keyVariables environment variables that carry credentials
 * @param loginHint what a user does to give the agent credentials
 * @param authenticateBeforeSession whether to call {@code authenticate} with an environment-key
 *     method before {@code session/new} (Codex ignores a key in the environment otherwise)
 * @param defaultMode the mode to switch to when neither config nor request names one
 * @param checksCredentials whether {@code availability()} looks for credentials at all
 * @param missingFileReadsEmpty whether {@code fs/read_text_file} of a missing file inside the
 *     worktree answers with empty content instead of a "resource not found" error
 * @param extensions what the agent says beyond the protocol and how to read it
 * @param capabilities what the agent can do, as far as known before it starts (its modes)
 * @param sandbox what the agent needs from the sandbox its commands run in
 */
public record AgentProfile(
    String id,
    String displayName,
    List<List<String>> defaultCommands,
    String installHint,
    List<String> keyVariables,
    String loginHint,
    boolean authenticateBeforeSession,
    Optional<String> defaultMode,
    boolean checksCredentials,
    boolean missingFileReadsEmpty,
    AgentExtensions extensions,
    AgentCapabilities capabilities,
    SandboxNeeds sandbox) {

  static final String CLAUDE_CODE = "claude-code";
  static final String CODEX = "codex";
  static final String GEMINI = "gemini";

  static AgentProfile claudeCode() {
    return new AgentProfile(
        CLAUDE_CODE,
        "Claude Code",
        // The current adapter and the frozen @zed-industries/claude-agent-acp share this binary
        // name; claude-code-acp is the older @zed-industries/claude-code-acp.
        List.of(List.of("claude-agent-acp"), List.of("claude-code-acp")),
        "install it with `npm install -g @agentclientprotocol/claude-agent-acp`, or set"
            + " agents.claude-code.command in the config",
        List.of(
            "ANTHROPIC_API_KEY",
            "ANTHROPIC_AUTH_TOKEN",
            "CLAUDE_CODE_OAUTH_TOKEN",
            "CLAUDE_CODE_USE_BEDROCK",
            "CLAUDE_CODE_USE_VERTEX",
            "CLAUDE_CODE_USE_FOUNDRY"),
        "set ANTHROPIC_API_KEY (or CLAUDE_CODE_OAUTH_TOKEN from `claude setup-token`), or log in"
            + " once with `claude /login` so the agent finds the login in ~/.claude",
        false,
        // Manual mode: every edit and command is put to Overnight's permission policy.
        Optional.of("default"),
        true,
        false,
        AgentExtensions.claudeCode(),
        new AgentCapabilities(
            true,
            true,
            true,
            List.of("default", "acceptEdits", "plan", "auto", "bypassPermissions")),
        // Claude Code runs its tools itself. It keeps its login, settings and sessions in
        // ~/.claude (or CLAUDE_CONFIG_DIR), its logs under ~/.cache, and rewrites ~/.claude.json
        // through a temporary file beside it (which the read-only home refuses: it then works
        // without saving it). As root it starts only when told it runs in a sandbox, as it does.
        new SandboxNeeds(
            true,
            false,
            List.of(
                SandboxNeeds.Folder.movedBy("CLAUDE_CONFIG_DIR", ".claude"),
                SandboxNeeds.Folder.fileMovedBy("CLAUDE_CONFIG_DIR", ".claude.json"),
                SandboxNeeds.Folder.home(".cache/claude-cli-nodejs"),
                SandboxNeeds.Folder.home(".npm")),
            List.of(
                "settings.json",
                "settings.local.json",
                "CLAUDE.md",
                "commands",
                "agents",
                "hooks",
                "plugins"),
            Map.of("IS_SANDBOX", "1")));
  }

  static AgentProfile codex() {
    return new AgentProfile(
        CODEX,
        "Codex",
        List.of(List.of("codex-acp")),
        "install it with `npm install -g @agentclientprotocol/codex-acp`, or set"
            + " agents.codex.command in the config",
        List.of("CODEX_API_KEY", "OPENAI_API_KEY"),
        "set OPENAI_API_KEY (or CODEX_API_KEY), or log in once with `codex login`",
        true,
        // Codex's sandbox keeps edits and commands inside the worktree and asks, which means our
        // permission policy, before anything outside it or on the network. Its own default,
        // "agent", settles such requests by its own review instead.
        Optional.of("workspace-write"),
        true,
        false,
        AgentExtensions.none(),
        new AgentCapabilities(
            true,
            true,
            true,
            List.of("read-only", "workspace-write", "agent", "agent-full-access")),
        // Codex runs commands itself, in a bubblewrap sandbox of its own, and keeps everything in
        // CODEX_HOME (~/.codex), including the helper links its sandbox starts through.
        new SandboxNeeds(
            true,
            true,
            List.of(
                SandboxNeeds.Folder.movedBy("CODEX_HOME", ".codex"),
                SandboxNeeds.Folder.home(".npm")),
            List.of("config.toml", "AGENTS.md", "rules", ".env"),
            Map.of()));
  }

  static AgentProfile gemini() {
    return new AgentProfile(
        GEMINI,
        "Gemini CLI",
        List.of(List.of("gemini", "--experimental-acp")),
        "install it with `npm install -g @google/gemini-cli`, or set agents.gemini.command in"
            + " the config",
        List.of("GEMINI_API_KEY", "GOOGLE_API_KEY", "GOOGLE_GENAI_USE_VERTEXAI"),
        "set GEMINI_API_KEY, or run `gemini` once and log in with Google",
        true,
        Optional.empty(),
        true,
        // Gemini CLI reads a file before writing it and can tell "missing" from a real failure
        // only by an Error whose message says so, but its ACP connection rejects with the plain
        // error object: any error fails write_file, so it could never create a file. Zed, the
        // client it is built against, answers a missing file with an empty buffer; so do we.
        true,
        AgentExtensions.geminiCli(),
        AgentCapabilities.baseline(),
        // Gemini CLI edits files through the client but runs shell commands itself.
        new SandboxNeeds(
            true,
            false,
            List.of(SandboxNeeds.Folder.home(".gemini"), SandboxNeeds.Folder.home(".npm")),
            List.of("settings.json", "GEMINI.md", "commands", "extensions"),
            Map.of()));
  }

  /** Any ACP agent started by a configured command: nothing known beyond the protocol. */
  static AgentProfile generic(String id) {
    return new AgentProfile(
        id,
        id,
        List.of(),
        "set agents." + id + ".command in the config to a command that speaks ACP over stdio",
        List.of(),
        "log in with the agent's own tool or set its API key",
        true,
        Optional.empty(),
        false,
        false,
        AgentExtensions.none(),
        AgentCapabilities.baseline(),
        SandboxNeeds.clientTerminalsOnly());
  }

  static AgentProfile forId(String id) {
    switch (id) {
      case CLAUDE_CODE:
        return claudeCode();
      case CODEX:
        return codex();
      case GEMINI:
        return gemini();
      default:
        return generic(id);
    }
  }

  /**
   * Where credentials were found in {@code env} or on disk, or empty when none: the cheap check
   * behind {@code availability()}.
   */
  public Optional<String> findCredentials(Map<String, String> env) {
    for (String name : keyVariables) {
      String v = env.get(name);
      if (v != null && !v.isBlank()) {
        return Optional.of(name + " is set");
      }
    }
    for (Path file : credentialFiles(env)) {
      if (Files.isRegularFile(file)) {
        return Optional.of("login found in " + file);
      }
    }
    return Optional.empty();
  }

  /** The files where the agent keeps a login. */
  public List<Path> credentialFiles(Map<String, String> env) {
    Optional<Path> home =
        Optional.ofNullable(env.get("HOME")).filter(h -> !h.isBlank()).map(Path::of);
    List<Path> files = new ArrayList<>();
    switch (id) {
      case CLAUDE_CODE:
        Optional.ofNullable(env.get("CLAUDE_CONFIG_DIR"))
            .filter(d -> !d.isBlank())
            .ifPresent(d -> files.add(Path.of(d, ".credentials.json")));
        home.ifPresent(h -> files.add(h.resolve(".claude/.credentials.json")));
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("mac")) {
          // On macOS the login lives in the Keychain; this file says that one was made.
          home.ifPresent(h -> files.add(h.resolve(".claude.json")));
        }
        break;
      case CODEX:
        Optional.ofNullable(env.get("CODEX_HOME"))
            .filter(d -> !d.isBlank())
            .ifPresentOrElse(
                d -> files.add(Path.of(d, "auth.json")),
                () -> home.ifPresent(h -> files.add(h.resolve(".codex/auth.json"))));
        break;
      case GEMINI:
        home.ifPresent(h -> files.add(h.resolve(".gemini/oauth_creds.json")));
        break;
      default:
        break;
    }
    return files;
  }

  /** What a user reads when the agent says it is not logged in. */
  public String notLoggedIn(String agentId) {
    return agentId + " (" + displayName + ") is not logged in: " + loginHint;
  }

  /** Ids of authentication methods that read a key from the environment. */
  boolean isEnvironmentKeyMethod(String methodId) {
    String m = methodId.toLowerCase(Locale.ROOT);
    return m.equals("api-key")
        || m.endsWith("-api-key")
        || m.equals("apikey")
        || m.equals("env")
        || m.startsWith("env-");
  }
}
