/**
 * Fakes for tests and demonstrations, free of any test framework: virtual time ({@link
 * dev.overnight.fakes.ManualTimeSource}), recording fakes of the SPIs, an in-process agent provider
 * that follows a script ({@link dev.overnight.fakes.FakeAgent}), and a scripted ACP agent that runs
 * as a real child process ({@link dev.overnight.fakes.ScriptedAgent}).
 *
 * <p>Depends on the API only, so every module's tests — core's too — and programs such as {@code
 * overnight demo} can use them.
 */
package dev.overnight.fakes;
