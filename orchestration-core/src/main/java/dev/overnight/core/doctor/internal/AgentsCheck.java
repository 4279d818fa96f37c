package dev.overnight.core.doctor.internal;

import dev.overnight.api.Availability;
import dev.overnight.api.agent.AgentProvider;
import dev.overnight.core.doctor.DoctorReport.AgentReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Records whether each agent can start sessions here, with what it found and how to fix it.
 *
 * <p>The agents examined are the list given, made outside this check (today, from every agent
 * provider factory found). No available agent at all is a warning: cycles would find nothing to run
 * tasks with. An agent whose {@code id()} or {@code availability()} throws is reported unavailable
 * with what it threw. Blocks for as long as the agents' availability checks take.
 */
public final class AgentsCheck implements DoctorCheck {
  private final List<AgentProvider> agents;

  /** Examines {@code agents}, in that order. */
  public AgentsCheck(List<AgentProvider> agents) {
    this.agents = List.copyOf(agents);
  }

  @Override
  public void run(Findings findings) {
    List<AgentReport> reports = new ArrayList<>();
    for (AgentProvider agent : agents) {
      String id;
      try {
        id = agent.id();
      } catch (RuntimeException e) {
        id = agent.getClass().getName();
      }
      try {
        Availability a = agent.availability();
        reports.add(new AgentReport(id, a.available(), a.reason(), a.remedy()));
      } catch (RuntimeException | LinkageError e) {
        reports.add(new AgentReport(id, false, "availability() threw " + e, Optional.empty()));
      }
    }
    if (reports.stream().noneMatch(AgentReport::available)) {
      findings.warning(
          reports.isEmpty()
              ? "no agent provider found: add orchestration-agents-acp or register an agent"
              : "no agent is available: cycles will find nothing to run tasks with");
    }
    findings.reportAgents(reports);
  }
}
