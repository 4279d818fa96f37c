package dev.overnight.acp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overnight.api.Availability;
import dev.overnight.api.ProviderContext;
import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.agent.AgentProviderFactory;
import dev.overnight.api.agent.AgentUnavailableException;
import dev.overnight.api.agent.SessionRequest;
import dev.overnight.api.config.AgentCommand;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.fakes.ManualTimeSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AcpAgentProviderTest {
  @TempDir Path bin;
  @TempDir Path home;

  private Path executable(String name) throws Exception {
    Path p = bin.resolve(name);
    Files.writeString(p, "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return p;
  }

  private Map<String, String> env(String... extra) {
    java.util.HashMap<String, String> env = new java.util.HashMap<>();
    env.put("PATH", bin.toString());
    env.put("HOME", home.toString());
    for (int i = 0; i < extra.length; i += 2) {
      env.put(extra[i], extra[i + 1]);
    }
    return env;
  }

  @Test
  void aMissingCommandIsNamedWithHowToInstallIt() {
    Availability a =
        AcpAgentProvider.builder("claude-code").baseEnvironment(env()).build().availability();
    assertThat(a.available()).isFalse();
    assertThat(a.reason())
        .isEqualTo(
            "claude-code: command not found: claude-agent-acp or claude-code-acp is not on PATH");
    assertThat(a.remedy().orElseThrow())
        .contains("npm install -g @agentclientprotocol/claude-agent-acp");

    Availability custom =
        AcpAgentProvider.builder("mine")
            .command("no-such-agent-command", List.of())
            .baseEnvironment(env())
            .build()
            .availability();
    assertThat(custom.reason()).isEqualTo("mine: command not found: no-such-agent-command");
    assertThatThrownBy(
            () ->
                AcpAgentProvider.builder("mine")
                    .command("no-such-agent-command", List.of())
                    .baseEnvironment(env())
                    .build()
                    .open(SessionRequest.builder(home).build()))
        .isInstanceOf(AgentUnavailableException.class)
        .hasMessageContaining("command not found: no-such-agent-command");
  }

  @Test
  void missingCredentialsAreNamedWithHowToLogIn() throws Exception {
    Path claude = executable("claude-agent-acp");
    Availability none =
        AcpAgentProvider.builder("claude-code").baseEnvironment(env()).build().availability();
    assertThat(none.available()).isFalse();
    assertThat(none.reason())
        .startsWith(
            "claude-code: " + claude + " found, but no credentials: none of ANTHROPIC_API_KEY")
        .contains(home.resolve(".claude/.credentials.json").toString());
    assertThat(none.remedy().orElseThrow()).contains("set ANTHROPIC_API_KEY").contains("/login");

    Availability key =
        AcpAgentProvider.builder("claude-code")
            .baseEnvironment(env("ANTHROPIC_API_KEY", "sk-ant-x"))
            .build()
            .availability();
    assertThat(key.available()).isTrue();
    assertThat(key.reason()).endsWith("ANTHROPIC_API_KEY is set");

    executable("codex-acp");
    Files.createDirectories(home.resolve(".codex"));
    Files.writeString(home.resolve(".codex/auth.json"), "{}");
    Availability login =
        AcpAgentProvider.builder("codex").baseEnvironment(env()).build().availability();
    assertThat(login.available()).isTrue();
    assertThat(login.reason()).endsWith("login found in " + home.resolve(".codex/auth.json"));
  }

  @Test
  void theFactoryIsFoundByServiceLoaderAndHonoursTheAgentsSection() throws Exception {
    Path custom = executable("my-acp-agent");
    List<AgentProviderFactory> factories =
        ServiceLoader.load(AgentProviderFactory.class).stream()
            .map(ServiceLoader.Provider::get)
            .collect(Collectors.toList());
    assertThat(factories).hasAtLeastOneElementOfType(AcpAgentProviderFactory.class);
    AgentProviderFactory acp =
        factories.stream().filter(f -> f.name().equals("acp")).findFirst().orElseThrow();

    AgentCommand mine =
        new AgentCommand(
            ConfigValue.of(custom.toString()), List.of("--acp"), Map.of(), Optional.empty());
    AgentCommand codex =
        new AgentCommand(
            ConfigValue.of(custom.toString()),
            List.of(),
            Map.of("OPENAI_API_KEY", "sk-x"),
            Optional.of("read-only"));
    OrchestrationConfig config =
        OrchestrationConfig.builder(ConfigValue.of(home.toString()))
            .agents(Map.of("codex", codex, "mine", mine))
            .build();
    List<AgentProvider> providers =
        acp.create(
            ProviderContext.builder(config)
                .timeSource(new ManualTimeSource(Instant.parse("2026-11-25T22:00:00Z")))
                .stateDirectory(home.resolve("state"))
                .build());

    assertThat(providers)
        .extracting(AgentProvider::id)
        .containsExactly("claude-code", "codex", "gemini", "mine");
    AgentProvider codexProvider = providers.get(1);
    assertThat(codexProvider.availability().available()).isTrue();
    assertThat(codexProvider.availability().reason())
        .isEqualTo("codex: " + custom + " found; OPENAI_API_KEY is set");
    assertThat(providers.get(3).availability().reason()).isEqualTo("mine: " + custom + " found");
  }
}
