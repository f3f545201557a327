package dev.ludus.runner.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ludus bench search}: search-qa's search latency and environment steps/s on a large generated corpus. */
@Command(name = "search", mixinStandardHelpOptions = true,
    description = "search-qa on a large generated corpus: BM25 search latency p50/p99 and environment steps/s.")
public class SearchBenchCommand implements Callable<Integer> {
  @Option(names = "--passages", defaultValue = "100000", description = "Corpus size (default: ${DEFAULT-VALUE}).")
  int passages;

  @Option(names = "--queries", defaultValue = "2000", description = "Measured searches of each kind (default: "
      + "${DEFAULT-VALUE}).")
  int queries;

  @Option(names = "--episodes", defaultValue = "2000", description = "Oracle episodes per steps/s figure (default: "
      + "${DEFAULT-VALUE}).")
  int episodes;

  @Option(names = "--concurrency", defaultValue = "64", description = "Episodes in flight (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    var options = new dev.ludus.environments.search.SearchQaBenchmark.Options(passages, queries, episodes, concurrency,
        3);
    PrintWriter out = spec.commandLine().getOut();
    out.println("bench search: search-qa, BM25 (k1 0.9, b 0.4), top 3; " + passages + " passages");
    out.flush();
    out.println(dev.ludus.environments.search.SearchQaBenchmark.run(options).format());
    out.flush();
    return 0;
  }
}
