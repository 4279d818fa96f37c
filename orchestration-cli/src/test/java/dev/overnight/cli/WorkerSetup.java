package dev.overnight.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.core.worktree.Git;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * What the command-line tests set up again and again: a fresh repository with one commit, and a
 * config whose only agent, "worker", is started by a given command line.
 */
public final class WorkerSetup {
  private WorkerSetup() {}

  /** A new repository in {@code dir}/repo with an empty first commit on main. */
  public static Git repository(Path dir) throws IOException {
    Git git = new Git(Files.createDirectories(dir.resolve("repo")));
    git.check("init", "-q", "-b", "main");
    git.check(
        "-c", "user.email=d@e", "-c", "user.name=D", "commit", "-q", "--allow-empty", "-m", "i");
    return git;
  }

  /**
   * Writes {@code dir}/overnight.json: the repository, the state folder, agent "worker" run by
   * {@code agentArgv}, one task at a time, no session history, and a schedule that does not fire
   * for hours, so only the test starts cycles.
   */
  public static Path config(Path dir, Path repo, Path state, List<String> agentArgv)
      throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    root.put("id", "worker-test");
    root.put("workspace_root", repo.toString());
    root.put("state_dir", state.toString());
    int quietHour = ZonedDateTime.now().plusHours(12).getHour();
    root.putObject("schedule").put("expression", "0 " + quietHour + " * * *");
    root.put("max_concurrent", 1);
    ObjectNode worker = root.putObject("agents").putObject("worker");
    worker.put("command", agentArgv.get(0));
    ArrayNode args = worker.putArray("args");
    agentArgv.subList(1, agentArgv.size()).forEach(args::add);
    ObjectNode preferences = root.putObject("agent_preferences");
    preferences.putArray("prefer").add("worker");
    preferences.putArray("allow").add("worker");
    root.putObject("decision").putArray("history_sources");
    Path file = dir.resolve("overnight.json");
    json.writeValue(file.toFile(), root);
    return file;
  }
}
