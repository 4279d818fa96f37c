package dev.overnight.acp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.overnight.acp.AcpAgentSession.AgentInfo;
import dev.overnight.api.agent.AgentException;
import dev.overnight.api.agent.AgentProtocolException;
import dev.overnight.api.agent.AuthenticationRequiredException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up against an agent played by the test, for each way agents differ. */
class HandshakeTest {
  private static final String INIT = "{\"protocolVersion\":1,\"agentInfo\":{\"name\":\"fake\"}}";

  @TempDir Path worktree;
  @TempDir Path home;

  private final FakeChannel agent =
      new FakeChannel(Instant.EPOCH)
          .answering("initialize", p -> json(INIT))
          .answering("session/new", p -> json("{\"sessionId\":\"s1\"}"))
          .answering("authenticate", p -> json("{}"))
          .answering("session/set_mode", p -> json("{}"));
  private final AuthStatusWatch authStatus = new AuthStatusWatch();
  private final SessionModes modes = new SessionModes();
  private final List<String> named = new CopyOnWriteArrayList<>();
  private final List<AgentException> fatal = new CopyOnWriteArrayList<>();

  private static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private Handshake.Ready start(AgentProfile profile, Map<String, String> env, String mode) {
    return start(profile, env, Optional.ofNullable(mode), Optional.empty());
  }

  private Handshake.Ready start(
      AgentProfile profile,
      Map<String, String> env,
      Optional<String> mode,
      Optional<String> loadSessionId) {
    RpcCalls calls =
        new RpcCalls(
            "agent",
            agent,
            Duration.ofSeconds(30),
            () -> true,
            fatal::add,
            (method, e) -> ErrorClassifier.classify(profile, "agent", method, e, Optional.empty()));
    return new Handshake("agent", profile, env, calls, modes, authStatus, named::add)
        .run(
            new Handshake.Target(worktree, List.of(), mode, loadSessionId, false),
            calls.deadline());
  }

  /** An environment with a home folder holding no login, and {@code more}. */
  private Map<String, String> noLogin(String... more) {
    Map<String, String> env = new java.util.HashMap<>(Map.of("HOME", home.toString()));
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }

  @Test
  void aPlainAgentIsInitializedAndGivenASessionInTheWorktree() {
    agent.answering(
        "initialize",
        p ->
            json(
                "{\"protocolVersion\":1,\"agentInfo\":{\"name\":\"fake\",\"title\":\"Fake\","
                    + "\"version\":\"1.2\"}}"));

    Handshake.Ready ready = start(AgentProfile.generic("agent"), noLogin(), null);

    assertThat(ready)
        .isEqualTo(
            new Handshake.Ready(
                "s1", new AgentInfo("fake", Optional.of("Fake"), Optional.of("1.2"), 1)));
    assertThat(named).containsExactly("s1");
    assertThat(agent.requestMethods()).containsExactly("initialize", "session/new");
    JsonNode caps = agent.last("initialize").params().path("clientCapabilities");
    assertThat(caps.path("fs").path("readTextFile").asBoolean()).isTrue();
    assertThat(caps.path("fs").path("writeTextFile").asBoolean()).isTrue();
    assertThat(caps.path("terminal").asBoolean()).isTrue();
    JsonNode session = agent.last("session/new").params();
    assertThat(session.path("cwd").asText()).isEqualTo(worktree.toString());
    assertThat(session.path("mcpServers").isArray()).isTrue();
  }

  @Test
  void anAgentOfAnotherProtocolVersionIsRefused() {
    agent.answering("initialize", p -> json("{\"protocolVersion\":2}"));

    assertThatThrownBy(() -> start(AgentProfile.generic("agent"), noLogin(), null))
        .isInstanceOf(AgentProtocolException.class)
        .hasMessage("agent speaks ACP protocol version 2; Overnight speaks version 1");
  }

  @Test
  void anAgentWhoseProfileSaysSoIsAuthenticatedWithItsKeyMethodBeforeTheSession() {
    agent.answering(
        "initialize",
        p ->
            json(
                "{\"protocolVersion\":1,\"authMethods\":[{\"id\":\"chat-gpt\"},"
                    + "{\"id\":\"api-key\",\"_meta\":{\"api-key\":{\"provider\":\"openai\"}}}]}"));

    start(AgentProfile.codex(), noLogin("OPENAI_API_KEY", "sk-test"), null);

    assertThat(agent.requestMethods()).containsExactly("initialize", "authenticate", "session/new");
    assertThat(agent.last("authenticate").params().path("methodId").asText()).isEqualTo("api-key");
  }

  @Test
  void anAgentThatAsksForAuthenticationIsAuthenticatedOnceAndAskedAgain() {
    agent.answering(
        "initialize",
        p ->
            json(
                "{\"protocolVersion\":1,\"authMethods\":[{\"id\":\"key\",\"type\":\"env_var\","
                    + "\"vars\":[{\"name\":\"ANTHROPIC_API_KEY\"}]}]}"));
    agent.answering(
        "session/new",
        p -> {
          if (agent.requestMethods().contains("authenticate")) {
            return json("{\"sessionId\":\"s1\"}");
          }
          throw new RpcException(RpcException.AUTH_REQUIRED, "Authentication required");
        });

    start(AgentProfile.claudeCode(), noLogin("ANTHROPIC_API_KEY", "sk-ant-test"), null);

    assertThat(agent.requestMethods())
        .containsExactly("initialize", "session/new", "authenticate", "session/new");
  }

  @Test
  void claudeCodeReportingNoLoginFailsWithWhatToDoOnceTheSessionIsNamed() {
    agent.answering(
        "session/new",
        p -> {
          authStatus.report(true);
          return json("{\"sessionId\":\"s1\"}");
        });

    assertThatThrownBy(() -> start(AgentProfile.claudeCode(), noLogin(), null))
        .isInstanceOf(AuthenticationRequiredException.class)
        .hasMessageStartingWith("agent (Claude Code) is not logged in: set ANTHROPIC_API_KEY")
        .hasMessageEndingWith("(the agent reports \"Not logged in\")");
    assertThat(named).containsExactly("s1");
  }

  @Test
  void claudeCodeReportingALoginStarts() {
    agent.answering(
        "session/new",
        p -> {
          authStatus.report(false);
          return json("{\"sessionId\":\"s1\"}");
        });

    assertThat(start(AgentProfile.claudeCode(), noLogin(), null).sessionId()).isEqualTo("s1");
  }

  @Test
  void aLoginReportIsReadOnlyFromAnAgentWhoseProfileKnowsIt() {
    authStatus.report(true);

    assertThat(start(AgentProfile.generic("agent"), noLogin(), null).sessionId()).isEqualTo("s1");
  }

  @Test
  void theWantedModeIsSwitchedToWithSetModeWhenTheAgentListsIt() {
    agent.answering(
        "session/new",
        p ->
            json(
                "{\"sessionId\":\"s1\",\"modes\":{\"currentModeId\":\"default\","
                    + "\"availableModes\":[{\"id\":\"default\"},{\"id\":\"plan\"}]}}"));

    start(AgentProfile.generic("agent"), noLogin(), "plan");

    assertThat(agent.last("session/set_mode").params().path("modeId").asText()).isEqualTo("plan");
    assertThat(modes.current()).contains("plan");
  }

  @Test
  void theWantedModeIsSetThroughAModeOptionWhenTheAgentHasOnlyThat() {
    String option =
        "{\"id\":\"approval\",\"category\":\"mode\",\"type\":\"select\",\"currentValue\":\"%s\","
            + "\"options\":[{\"value\":\"ask\"},{\"value\":\"auto\"}]}";
    agent.answering(
        "session/new",
        p -> json("{\"sessionId\":\"s1\",\"configOptions\":[" + option.formatted("ask") + "]}"));
    agent.answering(
        "session/set_config_option",
        p -> json("{\"configOptions\":[" + option.formatted("auto") + "]}"));

    start(AgentProfile.generic("agent"), noLogin(), "auto");

    JsonNode set = agent.last("session/set_config_option").params();
    assertThat(set.path("configId").asText()).isEqualTo("approval");
    assertThat(set.path("value").asText()).isEqualTo("auto");
    assertThat(modes.current()).contains("auto");
    assertThat(modes.configOptions().get(0).currentValue()).contains("auto");
  }

  @Test
  void aWantedModeTheAgentLacksIsAnErrorButAProfilesDefaultIsOnlySkipped() {
    agent.answering(
        "session/new",
        p ->
            json(
                "{\"sessionId\":\"s1\",\"modes\":{\"currentModeId\":\"default\","
                    + "\"availableModes\":[{\"id\":\"default\"},{\"id\":\"plan\"}]}}"));

    assertThatThrownBy(() -> start(AgentProfile.generic("agent"), noLogin(), "yolo"))
        .isInstanceOf(AgentException.class)
        .hasMessage("agent offers no mode 'yolo'; it offers: default, plan");
    // Codex's default mode, workspace-write, is not among them.
    start(AgentProfile.codex(), noLogin(), null);
    assertThat(agent.requestMethods()).doesNotContain("session/set_mode");
    assertThat(modes.current()).contains("default");
  }

  @Test
  void aSessionIsLoadedOnlyFromAnAgentThatOffersIt() {
    assertThatThrownBy(
            () ->
                start(
                    AgentProfile.generic("agent"), noLogin(), Optional.empty(), Optional.of("s0")))
        .isInstanceOf(AgentException.class)
        .hasMessage("agent cannot resume session s0: it does not offer session/load");

    agent.answering(
        "initialize",
        p -> json("{\"protocolVersion\":1,\"agentCapabilities\":{\"loadSession\":true}}"));
    agent.answering("session/load", p -> json("null"));
    Handshake.Ready ready =
        start(AgentProfile.generic("agent"), noLogin(), Optional.empty(), Optional.of("s0"));

    assertThat(ready.sessionId()).isEqualTo("s0");
    assertThat(agent.last("session/load").params().path("sessionId").asText()).isEqualTo("s0");
    assertThat(fatal).isEmpty();
  }
}
