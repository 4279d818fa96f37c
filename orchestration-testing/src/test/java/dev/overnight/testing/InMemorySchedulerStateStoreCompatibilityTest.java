package dev.overnight.testing;

import dev.overnight.api.schedule.SchedulerStateStore;
import dev.overnight.core.state.InMemorySchedulerStateStore;

class InMemorySchedulerStateStoreCompatibilityTest extends SchedulerStateStoreCompatibilityKit {

  @Override
  protected SchedulerStateStore createStore() {
    return new InMemorySchedulerStateStore();
  }
}
