package dev.overnight.api.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AgentExceptionTest {

  @Test
  void theAgentsOwnOutputIsKeptApartFromTheMessageAndAddedOnceWhenShown() {
    AgentException e =
        new AuthenticationRequiredException("codex is not logged in: set OPENAI_API_KEY");
    assertThat(e.agentOutput()).isEmpty();
    assertThat(e.withOutput()).isEqualTo("codex is not logged in: set OPENAI_API_KEY");

    assertThat(e.withAgentOutput("  \n")).isSameAs(e);
    assertThat(e.agentOutput()).as("blank output is no output").isEmpty();
    e.withAgentOutput("Error: 401 invalid x-api-key\n").withAgentOutput("later lines");

    assertThat(e.getMessage()).isEqualTo("codex is not logged in: set OPENAI_API_KEY");
    assertThat(e.agentOutput()).contains("Error: 401 invalid x-api-key");
    assertThat(e.withOutput())
        .isEqualTo(
            "codex is not logged in: set OPENAI_API_KEY; its last stderr lines:\n"
                + "Error: 401 invalid x-api-key");
  }

  @Test
  void outputTheMessageAlreadyQuotesIsNotRepeated() {
    AgentException e =
        new AgentCrashedException("codex exited with code 1; its last stderr lines:\nboom")
            .withAgentOutput("boom");
    assertThat(e.withOutput()).isEqualTo(e.getMessage());
  }
}
