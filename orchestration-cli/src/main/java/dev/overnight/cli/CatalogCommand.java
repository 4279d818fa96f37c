package dev.overnight.cli;

import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.core.pipeline.InstalledPipeline;
import dev.overnight.core.pipeline.InstalledPipelines;
import dev.overnight.core.pipeline.PipelineManifest;
import dev.overnight.core.pipeline.Pipelines;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.nostr.Naddr;
import dev.overnight.nostr.NostrCatalog;
import dev.overnight.nostr.NostrIdentity;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code overnight catalog publish|search|install}: pipeline manifests shared over Nostr, on the
 * relays of the config's {@code catalog} section. A published manifest is signed with the state
 * folder's key (made on first publish, owner-only); an installed one is checked (its signature, its
 * address), validated and pinned like one added from git, and runs only once its hash is accepted.
 *
 * @since 0.1.0
 */
@Command(
    name = "catalog",
    description =
        "Share pipeline manifests over Nostr: publish one, search the relays, install one by its"
            + " naddr.",
    mixinStandardHelpOptions = true,
    subcommands = {
      CatalogCommand.Publish.class,
      CatalogCommand.Search.class,
      CatalogCommand.Install.class
    })
public final class CatalogCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "Missing subcommand: publish, search or install");
  }

  /** What every catalog command needs from the config: its operations, state folder and relays. */
  private record Context(
      OrchestrationConfig config, StatePaths paths, Pipelines pipelines, NostrCatalog catalog) {
    static Context of(StateOptions state) {
      OrchestrationConfig config = state.requireConfig();
      StatePaths paths = state.paths(config);
      Pipelines pipelines =
          PipelineCommand.pipelines(
              Optional.of(config), Optional.of(OvernightRuntime.discover(config, paths)));
      return new Context(
          config, paths, pipelines, NostrCatalog.of(config.catalog(), Clock.systemUTC()));
    }
  }

  /** {@code overnight catalog publish}. */
  @Command(
      name = "publish",
      mixinStandardHelpOptions = true,
      description =
          "Sign a manifest with this state folder's key (made on first use) and send it to the"
              + " config's relays; prints its naddr. Publishing the same name again replaces it.")
  public static final class Publish implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StateOptions state;

    @Parameters(paramLabel = "FILE", description = "The manifest (JSON or YAML).")
    Path file;

    @Option(
        names = "--tag",
        paramLabel = "T",
        description = "A topic to find it by (repeatable), e.g. --tag java --tag dependencies.")
    List<String> tags = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      Context c = Context.of(state);
      PipelineManifest manifest = c.pipelines().catalog().loader().load(file);
      String text = Files.readString(file);
      NostrIdentity key = NostrIdentity.loadOrCreate(c.paths().nostrKey());
      NostrCatalog.Published published =
          c.catalog().publish(key, manifest.name(), manifest.description(), tags, text);
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          TerminalText.line(
              "Published "
                  + manifest.name()
                  + " (hash "
                  + manifest.shortHash()
                  + ") as event "
                  + published.event().id()
                  + " by "
                  + key.publicKey()));
      published.accepted().keySet().forEach(r -> out.println("  taken by " + r));
      published
          .refused()
          .forEach((r, why) -> out.println(TerminalText.line("  not taken by " + r + ": " + why)));
      out.println("Install it elsewhere with: overnight catalog install " + published.address());
      out.flush();
      return ExitCodes.OK;
    }
  }

  /** {@code overnight catalog search}. */
  @Command(
      name = "search",
      mixinStandardHelpOptions = true,
      description =
          "List the manifests on the config's relays whose name, summary or topics hold every"
              + " word; --tag narrows to one topic.")
  public static final class Search implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StateOptions state;

    @Parameters(paramLabel = "WORDS", arity = "0..*", description = "Words to look for.")
    List<String> words = new ArrayList<>();

    @Option(names = "--tag", paramLabel = "T", description = "Only manifests with this topic.")
    String tag;

    @Override
    public Integer call() {
      Context c = Context.of(state);
      NostrCatalog.Found found = c.catalog().search(words, Optional.ofNullable(tag));
      PrintWriter out = spec.commandLine().getOut();
      for (NostrCatalog.Listing l : found.listings()) {
        out.println(
            TerminalText.line(
                l.name()
                    + "  "
                    + l.description()
                    + (l.topics().isEmpty() ? "" : "  [" + String.join(", ", l.topics()) + "]")
                    + "  by "
                    + l.event().pubkey().substring(0, 12)));
        out.println("  " + l.address());
      }
      if (found.listings().isEmpty()) {
        out.println("No manifest found.");
      }
      out.flush();
      PrintWriter err = spec.commandLine().getErr();
      found.problems().forEach(p -> err.println(TerminalText.line("warning: " + p)));
      err.flush();
      return ExitCodes.OK;
    }
  }

  /** {@code overnight catalog install}. */
  @Command(
      name = "install",
      mixinStandardHelpOptions = true,
      description =
          "Fetch the manifest an naddr names, check its signature, validate it and pin it by event"
              + " and hash; prints it to be read before its first run.")
  public static final class Install implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StateOptions state;

    @Parameters(paramLabel = "NADDR", description = "The manifest's address: naddr1…")
    String naddr;

    @Option(
        names = "--name",
        paramLabel = "NAME",
        description = "The name to install it under (default: the manifest's own name).")
    String name;

    @Override
    public Integer call() {
      Naddr address;
      try {
        address = Naddr.decode(naddr);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      Context c = Context.of(state);
      NostrCatalog.Listing listing = c.catalog().fetch(address);
      String origin =
          InstalledPipeline.NOSTR
              + new Naddr(address.identifier(), address.author(), address.kind(), List.of())
                  .encode();
      PipelineManifest manifest = c.pipelines().catalog().loader().read(origin, listing.manifest());
      String chosen = name == null ? manifest.name() : name;
      InstalledPipelines installed = InstalledPipelineCommands.of(c.paths(), c.pipelines());
      Optional<InstalledPipeline> existing = installed.find(chosen);
      if (existing.isPresent() && !existing.get().origin().equals(origin)) {
        throw new ParameterException(
            spec.commandLine(),
            "a pipeline named "
                + chosen
                + " is installed already from "
                + existing.get().origin()
                + ": remove it first, or install under another --name");
      }
      InstalledPipeline pinned;
      try {
        pinned = installed.pin(chosen, origin, listing.event().id(), listing.manifest());
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      InstalledPipelineCommands.printInstalled(
          spec.commandLine().getOut(),
          listing.manifest(),
          pinned,
          "from event "
              + pinned.shortRevision()
              + " by "
              + address.author()
              + (existing.isPresent() ? " (replacing the version installed before)" : ""));
      return ExitCodes.OK;
    }
  }
}
