package com.example.overnight.boot;

import dev.overnight.api.queue.EnqueueResult;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.core.runtime.OvernightRuntime;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Hands work to Overnight over HTTP: tasks for the night, and a cycle now when asked. */
@RestController
class TaskController {
  private final OvernightRuntime overnight;

  TaskController(OvernightRuntime overnight) {
    this.overnight = overnight;
  }

  /** A task to do. */
  record NewTask(String title, String prompt, String agent) {}

  /** Where the task is. */
  record Queued(String id, boolean duplicate) {}

  @PostMapping("/tasks")
  @ResponseStatus(HttpStatus.ACCEPTED)
  Queued enqueue(@RequestBody NewTask task) {
    TaskSpec.Builder spec = TaskSpec.builder(task.prompt());
    if (task.title() != null) {
      spec.title(task.title());
    }
    if (task.agent() != null) {
      spec.agentId(task.agent());
    }
    EnqueueResult result = overnight.taskQueue().enqueue(spec.build());
    return new Queued(result.task().id().value(), !result.created());
  }

  /** Runs one cycle now, outside the schedule; answers when its tasks have ended. */
  @PostMapping("/cycles")
  void runNow() {
    overnight.runOnce();
  }
}
