package dev.ludus.runner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.api.ConfigException;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.config.PluginConfigs;
import dev.ludus.runner.experiment.AblationSpec;
import dev.ludus.runner.experiment.Generalisation;
import dev.ludus.runner.experiment.HackingAblation;
import dev.ludus.runner.experiment.NoiseAblation;
import dev.ludus.runner.experiment.Retention;
import dev.ludus.runner.experiment.SparseShaping;
import dev.ludus.runner.experiment.ShapingAblation;
import dev.ludus.runner.shaping.ShapingSpec;
import dev.ludus.runner.store.RunDirectory;
import dev.ludus.runner.train.TrainConfig;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ludus experiment ...}: experiments made of several training runs. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
    description = "Experiments made of several training runs.",
    subcommands = {ExperimentCommand.ShapingAblationCommand.class, ExperimentCommand.RetentionCommand.class,
        ExperimentCommand.SparseShapingCommand.class, ExperimentCommand.HackingCommand.class,
        ExperimentCommand.NoiseCommand.class, ExperimentCommand.GeneralisationCommand.class})
public class ExperimentCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code ludus experiment shaping-ablation}: see {@link ShapingAblation}. */
  @Command(name = "shaping-ablation", mixinStandardHelpOptions = true,
      description = "Outcome reward only against turn-level shaping: same environment, model and episode budget, "
          + "several seeds; a table of episodes to a success threshold and final held-out success, with a plot.")
  public static class ShapingAblationCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "The training config every run shares (as for "
        + "`ludus train --config`; default: the embedded training default). Its shaping is replaced by each arm's.")
    String config;

    @Option(names = "--arms", paramLabel = "FILE", description = "Arms: a YAML/JSON mapping (file or inline) of arm "
        + "name to shaping spec; the first is the baseline. Default: outcome (the outcome only) and turn-level "
        + "(outcome + info-gain 0.2, the main job's shaping).")
    String arms;

    @Option(names = "--seeds", defaultValue = "5", paramLabel = "N",
        description = "Seeds per arm, 1..N (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--threshold", defaultValue = "0.7", paramLabel = "P",
        description = "Training success to reach (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--window", defaultValue = "3", paramLabel = "K",
        description = "Iterations the training success is averaged over (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--iterations", paramLabel = "N", description = "Override the iterations of every run.")
    Integer iterations;

    @Mixin ExperimentOptions runOptions;

    @Mixin CommonOptions common;
    @Spec CommandSpec spec;
    @Inject LudusServices services;

    @Override
    public Integer call() throws Exception {
      if (seeds < 1 || seeds > 1000) {
        throw new ConfigException("--seeds must be in [1, 1000], was " + seeds);
      }
      ShapingAblation.Options defaults = ShapingAblation.defaults();
      TrainConfig base = config == null ? defaults.base() : TrainConfig.read(config);
      base = base.with(iterations, null);
      List<ShapingAblation.Arm> armList = arms == null ? defaults.arms() : readArms(arms);
      ShapingAblation.Options options = new ShapingAblation.Options(base, armList,
          LongStream.rangeClosed(1, seeds).boxed().toList(), threshold, window);
      ShapingAblation.validate(services.registry(), options);
      RunDirectory dir = RunDirectory.create(runOptions.out, "ablation-" + base.env());
      PrintWriter w = spec.commandLine().getOut();
      w.printf("ludus experiment shaping-ablation: %s, arms %s, %d seeds, %d training episodes per run; "
          + "run directory %s%n", base.env(), armList.stream().map(ShapingAblation.Arm::name).toList(), seeds,
          options.budget(), dir.path());
      w.flush();
      ShapingAblation.Summary summary = ShapingAblation.run(services.registry(), options, dir.path(),
          runOptions.device, w);
      w.println();
      w.print(ShapingAblation.table(summary));
      w.println("written: " + dir.path().resolve("ablation.md") + ", ablation.json, ablation.svg");
      w.flush();
      return 0;
    }

    /** The arms of a mapping of name to shaping spec; each spec is checked here, naming its arm. */
    static List<ShapingAblation.Arm> readArms(String source) throws IOException {
      JsonNode tree;
      try {
        tree = Json.YAML.readTree(PluginConfigs.sourceText(source, "--arms", ""));
      } catch (IOException e) {
        throw new ConfigException("--arms: not valid YAML/JSON: " + e.getMessage().lines().findFirst().orElse(""));
      }
      if (tree == null || !tree.isObject()) {
        throw new ConfigException("--arms must be a mapping of arm name to shaping spec, e.g. "
            + "'{outcome: {shapers: [{name: outcome}]}, dense: {shapers: [{name: outcome}, {name: info-gain}]}}'");
      }
      List<ShapingAblation.Arm> out = new ArrayList<>();
      for (Map.Entry<String, JsonNode> e : tree.properties()) {
        try {
          ShapingSpec.read(Json.YAML.writeValueAsString(e.getValue()));
        } catch (ConfigException ex) {
          throw new ConfigException("--arms: arm '" + e.getKey() + "': " + ex.getMessage());
        }
        out.add(new ShapingAblation.Arm(e.getKey(), e.getValue()));
      }
      return out;
    }
  }

  /** {@code ludus experiment retention}: see {@link Retention}. */
  @Command(name = "retention", mixinStandardHelpOptions = true,
      description = "Does RL keep what a strong warm start gave? Held-out success after the warm start and after RL, "
          + "per seed and as mean ± std, with the training curves.")
  public static class RetentionCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "The training config every seed runs (as for "
        + "`ludus train --config`; default: guess-number 1 to 16 in 5 guesses, outcome only, a warm start until "
        + "fitted, then the main job's RL).")
    String config;

    @Option(names = "--seeds", defaultValue = "3", paramLabel = "N",
        description = "Seeds 1..N (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--tolerance", defaultValue = "0.05", paramLabel = "P",
        description = "A seed lost what it had when RL lowered its held-out success by more than this "
            + "(default: ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(names = "--iterations", paramLabel = "N", description = "Override the iterations of every run.")
    Integer iterations;

    @Mixin ExperimentOptions runOptions;

    @Mixin CommonOptions common;
    @Spec CommandSpec spec;
    @Inject LudusServices services;

    @Override
    public Integer call() throws Exception {
      if (seeds < 1 || seeds > 1000) {
        throw new ConfigException("--seeds must be in [1, 1000], was " + seeds);
      }
      TrainConfig base = config == null ? Retention.defaults().base() : TrainConfig.read(config);
      Retention.Options options = new Retention.Options(base.with(iterations, null),
          LongStream.rangeClosed(1, seeds).boxed().toList(), tolerance);
      Retention.validate(services.registry(), options);
      RunDirectory dir = RunDirectory.create(runOptions.out, "retention-" + base.env());
      PrintWriter w = spec.commandLine().getOut();
      w.printf("ludus experiment retention: %s, %s, %d seeds, %d RL iterations each; run directory %s%n", base.env(),
          base.estimator(), seeds, options.base().iterations(), dir.path());
      w.flush();
      Retention.Summary summary = Retention.run(services.registry(), options, dir.path(), runOptions.device, w);
      w.println();
      w.print(Retention.table(summary));
      w.println("written: " + dir.path().resolve("retention.md") + ", retention.json, retention.svg");
      w.flush();
      return 0;
    }
  }

  /**
   * What the ablations read from a file share: {@code --spec} (an {@link AblationSpec}; default: the command's
   * embedded one), seeds 1..N, an iterations override, the device and the parent of the run directory.
   */
  abstract static class SpecCommand implements Callable<Integer> {
    @Option(names = "--spec", paramLabel = "FILE", description = "The ablation: a YAML/JSON file (or inline text) with "
        + "a title and settings, each a complete training config with its arms (see examples/ablations/). "
        + "Default: the embedded one, the same as the file in examples/ablations/.")
    String specSource;

    @Option(names = "--seeds", defaultValue = "5", paramLabel = "N",
        description = "Seeds per arm, 1..N (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--iterations", paramLabel = "N", description = "Override the iterations of every run.")
    Integer iterations;

    @Mixin ExperimentOptions runOptions;

    @Mixin CommonOptions common;
    @Spec CommandSpec spec;

    /** The services, injected into each concrete command (injection does not reach this abstract class's fields). */
    abstract LudusServices services();

    abstract String name();

    abstract AblationSpec defaults();

    abstract void validate(AblationSpec ablation, List<Long> seedList);

    /** Runs the ablation into {@code dir} and returns its table. */
    abstract String run(AblationSpec ablation, List<Long> seedList, Path dir, PrintWriter w)
        throws InterruptedException;

    @Override
    public Integer call() throws Exception {
      List<Long> seedList = AblationSpec.seeds(seeds);
      AblationSpec ablation = (specSource == null ? defaults() : AblationSpec.read(specSource, "--spec"))
          .withIterations(iterations);
      validate(ablation, seedList);
      RunDirectory dir = RunDirectory.create(runOptions.out, name());
      PrintWriter w = spec.commandLine().getOut();
      w.printf("ludus experiment %s: %s; %d setting(s), %d seeds; run directory %s%n", name(), ablation.title(),
          ablation.settings().size(), seeds, dir.path());
      w.flush();
      String table = run(ablation, seedList, dir.path(), w);
      w.println();
      w.print(table);
      w.println("written: " + dir.path().resolve(name() + ".md") + ", " + name() + ".json, and each setting's "
          + "ablation.md/json/svg");
      w.flush();
      return 0;
    }
  }

  /** {@code ludus experiment sparse-shaping}: see {@link SparseShaping}. */
  @Command(name = "sparse-shaping", mixinStandardHelpOptions = true,
      description = "Turn-level shaping against the outcome alone where the untrained policy succeeds at most 5%% of "
          + "the time: untrained success, episodes to a threshold and final held-out success per environment and arm.")
  public static class SparseShapingCommand extends SpecCommand {
    @Inject LudusServices services;

    @Override
    LudusServices services() {
      return services;
    }

    @Override
    String name() {
      return "sparse-shaping";
    }

    @Override
    AblationSpec defaults() {
      return SparseShaping.defaults();
    }

    @Override
    void validate(AblationSpec ablation, List<Long> seedList) {
      SparseShaping.validate(services.registry(), ablation, seedList);
    }

    @Override
    String run(AblationSpec ablation, List<Long> seedList, Path dir, PrintWriter w) throws InterruptedException {
      return SparseShaping.table(SparseShaping.run(services.registry(), ablation, seedList, dir, runOptions.device,
          w));
    }
  }

  /** {@code ludus experiment hacking}: see {@link HackingAblation}. */
  @Command(name = "hacking", mixinStandardHelpOptions = true,
      description = "A hackable shaper that pays more than the task, alone and under the par, delta and clip "
          + "transforms: task success and the hacked component per arm.")
  public static class HackingCommand extends SpecCommand {
    @Inject LudusServices services;

    @Override
    LudusServices services() {
      return services;
    }

    @Override
    String name() {
      return "hacking";
    }

    @Override
    AblationSpec defaults() {
      return HackingAblation.defaults();
    }

    @Override
    void validate(AblationSpec ablation, List<Long> seedList) {
      HackingAblation.validate(services.registry(), ablation, seedList);
    }

    @Override
    String run(AblationSpec ablation, List<Long> seedList, Path dir, PrintWriter w) throws InterruptedException {
      return HackingAblation.table(HackingAblation.run(services.registry(), ablation, seedList, dir, runOptions.device,
          w));
    }
  }

  /** {@code ludus experiment noise}: see {@link NoiseAblation}. */
  @Command(name = "noise", mixinStandardHelpOptions = true,
      description = "Learning with a share of the outcome rewards flipped (the noise transform) against clean "
          + "rewards: episodes to a threshold, training and held-out success per arm.")
  public static class NoiseCommand extends SpecCommand {
    @Inject LudusServices services;

    @Override
    LudusServices services() {
      return services;
    }

    @Override
    String name() {
      return "noise";
    }

    @Override
    AblationSpec defaults() {
      return NoiseAblation.defaults();
    }

    @Override
    void validate(AblationSpec ablation, List<Long> seedList) {
      NoiseAblation.validate(services.registry(), ablation, seedList);
    }

    @Override
    String run(AblationSpec ablation, List<Long> seedList, Path dir, PrintWriter w) throws InterruptedException {
      return NoiseAblation.table(NoiseAblation.run(services.registry(), ablation, seedList, dir, runOptions.device,
          w));
    }
  }

  /** {@code ludus experiment generalisation}: see {@link Generalisation}. */
  @Command(name = "generalisation", mixinStandardHelpOptions = true,
      description = "One recipe on every environment: ludus train --env NAME as is, several seeds; held-out success "
          + "before training, after the warm start and after RL (mean ± std), wall and CPU time per run.")
  public static class GeneralisationCommand implements Callable<Integer> {
    @Option(names = "--envs", split = ",", paramLabel = "NAME", description = "The environments, in table order "
        + "(default: every registered one of guess-number, frozen-lake, gridworld, sokoban, twenty-questions, search-qa, "
        + "deal-or-no-deal and mastermind, the example plugin, when loaded with --plugins), each at the size the "
        + "experiment's table gives it (its defaults if the table has none).")
    List<String> envs;

    @Option(names = "--env-config", paramLabel = "NAME=YAML", description = "The settings of one environment's size, "
        + "instead of the table's (repeatable), e.g. --env-config 'frozen-lake={size: 5}'.")
    List<String> envConfigs;

    @Option(names = "--seeds", defaultValue = "3", paramLabel = "N",
        description = "Seeds 1..N per environment (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--iterations", paramLabel = "N", description = "Override the recipe's iterations in every run.")
    Integer iterations;

    @Mixin ExperimentOptions runOptions;

    @Mixin CommonOptions common;
    @Spec CommandSpec spec;
    @Inject LudusServices services;

    @Override
    public Integer call() throws Exception {
      if (seeds < 1 || seeds > 1000) {
        throw new ConfigException("--seeds must be in [1, 1000], was " + seeds);
      }
      List<Generalisation.Instance> instances = envs == null ? Generalisation.defaultInstances(services.registry())
          : Generalisation.instances(envs);
      if (envConfigs != null) {
        List<Generalisation.Instance> changed = new ArrayList<>(instances);
        for (String pair : envConfigs) {
          int eq = pair.indexOf('=');
          if (eq < 1) {
            throw new ConfigException("--env-config takes NAME=YAML (e.g. 'frozen-lake={size: 5}'), was '" + pair + "'");
          }
          String name = pair.substring(0, eq).strip();
          int at = -1;
          for (int i = 0; i < changed.size(); i++) {
            at = changed.get(i).env().equals(name) ? i : at;
          }
          if (at < 0) {
            throw new ConfigException("--env-config names '" + name + "', which is not among the environments "
                + changed.stream().map(Generalisation.Instance::env).toList());
          }
          JsonNode tree;
          try {
            tree = Json.YAML.readTree(PluginConfigs.sourceText(pair.substring(eq + 1), "--env-config", ""));
          } catch (IOException e) {
            throw new ConfigException("--env-config " + name + ": not valid YAML/JSON: "
                + e.getMessage().lines().findFirst().orElse(""));
          }
          changed.set(at, new Generalisation.Instance(name, tree));
        }
        instances = changed;
      }
      Generalisation.Options options = new Generalisation.Options(instances,
          LongStream.rangeClosed(1, seeds).boxed().toList(), iterations);
      Generalisation.validate(services.registry(), options);
      RunDirectory dir = RunDirectory.create(runOptions.out, "generalisation");
      PrintWriter w = spec.commandLine().getOut();
      w.printf("ludus experiment generalisation: %s, %d seeds each; run directory %s%n",
          instances.stream().map(Generalisation.Instance::env).toList(), seeds, dir.path());
      w.flush();
      Generalisation.Summary summary = Generalisation.run(services.registry(), options, dir.path(), runOptions.device, w);
      w.println();
      w.print(Generalisation.table(summary));
      w.println("written: " + dir.path().resolve("generalisation.md") + ", generalisation.json, generalisation.svg");
      w.flush();
      return 0;
    }
  }
}
