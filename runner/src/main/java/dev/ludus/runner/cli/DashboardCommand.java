package dev.ludus.runner.cli;

import dev.ludus.api.ConfigException;
import dev.ludus.runner.dashboard.Dashboard;
import dev.ludus.runner.dashboard.DashboardOptions;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ludus dashboard}: serves the live dashboard ({@link Dashboard}) over run directories on the loopback
 * interface until the process is stopped (Ctrl-C) or the calling thread is interrupted; then it closes the server
 * and returns 0.
 */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
    description = "Serve a live web page over run directories (curves while a run trains, runs compared, episodes "
        + "with their ledgers, failures by kind) on 127.0.0.1; from another machine use ssh -L PORT:localhost:PORT.")
public class DashboardCommand implements Callable<Integer> {
  @Parameters(paramLabel = "RUN_DIR", arity = "0..*",
      description = "Run directories, or directories of runs (default: runs); runs that start later appear.")
  List<Path> roots = new ArrayList<>();

  @Option(names = "--port", defaultValue = "" + DashboardOptions.DEFAULT_PORT, paramLabel = "N",
      description = "Loopback port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--poll", defaultValue = "1000", paramLabel = "MS",
      description = "How often the page asks for new data, ms (default: ${DEFAULT-VALUE}).")
  int pollMillis;

  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    DashboardOptions options = new DashboardOptions(roots.isEmpty() ? List.of(Path.of("runs")) : roots, port,
        pollMillis);
    PrintWriter out = spec.commandLine().getOut();
    Vertx vertx = Vertx.vertx();
    boolean interrupted = false;
    try {
      Dashboard dashboard;
      try {
        dashboard = Dashboard.start(vertx, options).toCompletionStage().toCompletableFuture().get();
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof BindException || String.valueOf(cause.getMessage()).contains("in use")) {
          throw new ConfigException("cannot listen on 127.0.0.1:" + port + " (" + cause.getMessage()
              + "); choose another --port, or 0 for any free one");
        }
        throw e;
      }
      out.println("ludus dashboard: " + dashboard.url() + " (serving " + options.roots() + "; Ctrl-C stops it)");
      out.flush();
      CountDownLatch stopped = new CountDownLatch(1);
      Thread hook = new Thread(stopped::countDown, "ludus-dashboard-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        stopped.await();
      } catch (InterruptedException e) {
        interrupted = true; // stop serving, close below, and keep the interrupt for the caller
        Runtime.getRuntime().removeShutdownHook(hook);
      }
      return 0;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
