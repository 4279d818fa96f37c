package dev.overnight.testing;

import dev.overnight.api.queue.TaskQueue;
import dev.overnight.core.queue.InMemoryTaskQueue;
import dev.overnight.fakes.ManualTimeSource;

class InMemoryTaskQueueCompatibilityTest extends TaskQueueCompatibilityKit {

  @Override
  protected TaskQueue createQueue(ManualTimeSource clock, int defaultMaxAttempts) {
    return InMemoryTaskQueue.builder(clock).defaultMaxAttempts(defaultMaxAttempts).build();
  }
}
