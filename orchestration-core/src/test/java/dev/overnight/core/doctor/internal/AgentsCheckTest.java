package dev.overnight.core.doctor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.Availability;
import dev.overnight.api.agent.AgentCapabilities;
import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.agent.AgentSession;
import dev.overnight.api.agent.SessionRequest;
import dev.overnight.core.doctor.DoctorReport.AgentReport;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AgentsCheckTest {

  record Agent(String id, Availability availability) implements AgentProvider {
    @Override
    public AgentCapabilities capabilities() {
      throw new UnsupportedOperationException();
    }

    @Override
    public AgentSession open(SessionRequest request) {
      throw new UnsupportedOperationException();
    }
  }

  /** An agent whose every answer throws. */
  static final class Broken implements AgentProvider {
    @Override
    public String id() {
      throw new IllegalStateException("no id");
    }

    @Override
    public Availability availability() {
      throw new IllegalStateException("probe crashed");
    }

    @Override
    public AgentCapabilities capabilities() {
      throw new UnsupportedOperationException();
    }

    @Override
    public AgentSession open(SessionRequest request) {
      throw new UnsupportedOperationException();
    }
  }

  private static Findings run(List<AgentProvider> agents) {
    Findings findings = new Findings();
    new AgentsCheck(agents).run(findings);
    return findings;
  }

  @Test
  void eachAgentIsReportedInOrderAndOneAvailableIsEnough() {
    Findings findings =
        run(
            List.of(
                new Agent("codex", Availability.unavailable("codex-acp not found", "npm i codex")),
                new Agent("claude-code", Availability.available("found at /usr/bin/claude"))));

    assertThat(findings.agents().orElseThrow())
        .containsExactly(
            new AgentReport("codex", false, "codex-acp not found", Optional.of("npm i codex")),
            new AgentReport("claude-code", true, "found at /usr/bin/claude", Optional.empty()));
    assertThat(findings.warnings()).isEmpty();
  }

  @Test
  void anAgentThatThrowsIsUnavailableUnderItsClassName() {
    Findings findings = run(List.of(new Broken()));

    assertThat(findings.agents().orElseThrow())
        .containsExactly(
            new AgentReport(
                Broken.class.getName(),
                false,
                "availability() threw java.lang.IllegalStateException: probe crashed",
                Optional.empty()));
    assertThat(findings.warnings())
        .containsExactly("no agent is available: cycles will find nothing to run tasks with");
  }

  @Test
  void noAgentAtAllSaysWhereToGetOne() {
    Findings findings = run(List.of());

    assertThat(findings.agents()).contains(List.of());
    assertThat(findings.warnings())
        .containsExactly(
            "no agent provider found: add orchestration-agents-acp or register an agent");
    assertThat(findings.problems()).isEmpty();
  }
}
