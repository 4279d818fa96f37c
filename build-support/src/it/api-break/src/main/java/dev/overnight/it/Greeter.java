package dev.overnight.it;

/** Says hello. */
public final class Greeter {
  /** Hello. */
  public String hello() {
    return "hello";
  }
}
