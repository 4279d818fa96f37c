package dev.overnight.cli;

import picocli.CommandLine.Command;

/**
 * {@code overnight enqueue}: {@code queue add} under the name a fleet's users reach for, e.g.
 * {@code overnight enqueue --on mac-mini --prompt "…"} to start work on one machine tonight.
 *
 * @since 0.1.0
 */
@Command(
    name = "enqueue",
    mixinStandardHelpOptions = true,
    description =
        "Queue a task for the fleet, or with --on for one machine (the same as queue add).")
public final class EnqueueCommand extends QueueCommand.Add {}
