package dev.overnight.api;

/** The keep-awake that keeps nothing awake; see {@link KeepAwake#noop()}. */
enum NoopKeepAwake implements KeepAwake, KeepAwake.Handle {
  INSTANCE;

  @Override
  public Handle acquire(String reason) {
    return this;
  }

  @Override
  public String describe() {
    return "no-op (no platform keep-awake available)";
  }

  @Override
  public boolean held() {
    return false;
  }

  @Override
  public void close() {}
}
