/**
 * Building blocks shared by the platform modules ({@code orchestration-macos}, {@code
 * orchestration-linux}) and by plugin authors: bounded child processes, the operating system
 * family, settings validation with JSON paths, and the judgements (CPU limit, idle time, primary
 * network link) whose reasons every platform words the same way.
 */
package dev.overnight.core.platform;
