package dev.overnight.it;

/** Says hello and goodbye. */
public final class Greeter {
  /** Hello. */
  public String hello() {
    return "hello";
  }

  /** Goodbye. */
  public String bye() {
    return "bye";
  }
}
