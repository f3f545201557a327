package dev.ludus.runner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Registry;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.config.PluginConfigs;
import dev.ludus.runner.experiment.AblationSpec;
import dev.ludus.runner.experiment.Generalisation;
import dev.ludus.runner.experiment.HackingAblation;
import dev.ludus.runner.experiment.NoiseAblation;
import dev.ludus.runner.experiment.Retention;
import dev.ludus.runner.experiment.SparseShaping;
import dev.ludus.runner.experiment.ShapingAblation;
import dev.ludus.runner.config.ShapingSpec;
import dev.ludus.runner.train.TrainConfig;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code ludus experiment ...}: experiments made of several training runs. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
    description = "Experiments made of several training runs.",
    subcommands = {ExperimentCommand.ShapingAblationCommand.class, ExperimentCommand.RetentionCommand.class,
        ExperimentCommand.SparseShapingCommand.class, ExperimentCommand.HackingCommand.class,
        ExperimentCommand.NoiseCommand.class, ExperimentCommand.GeneralisationCommand.class})
public class ExperimentCommand implements Runnable {
  @Spec CommandSpec spec;
  /** The services, injected here for the subcommands that reach them as their parent's (see {@link SpecCommand}). */
  @Inject LudusServices services;

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
      List<Long> seedList = AblationSpec.seeds(seeds);
      ShapingAblation.Options defaults = ShapingAblation.defaults();
      TrainConfig base = config == null ? defaults.base() : TrainConfig.read(config);
      base = base.with(iterations, null);
      List<ShapingAblation.Arm> armList = arms == null ? defaults.arms() : readArms(arms);
      ShapingAblation.Options options = new ShapingAblation.Options(base, armList, seedList, threshold, window);
      ShapingAblation.validate(services.registry(), options);
      String header = String.format("ludus experiment shaping-ablation: %s, arms %s, %d seeds, %d training episodes "
          + "per run", base.env(), armList.stream().map(ShapingAblation.Arm::name).toList(), seeds, options.budget());
      return runOptions.run(spec, "ablation-" + base.env(), header, "ablation", "ablation.json, ablation.svg",
          (dir, device, w) -> ShapingAblation.table(ShapingAblation.run(services.registry(), options, dir, device, w)));
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
      List<Long> seedList = AblationSpec.seeds(seeds);
      TrainConfig base = config == null ? Retention.defaults().base() : TrainConfig.read(config);
      Retention.Options options = new Retention.Options(base.with(iterations, null), seedList, tolerance);
      Retention.validate(services.registry(), options);
      String header = String.format("ludus experiment retention: %s, %s, %d seeds, %d RL iterations each", base.env(),
          base.estimator(), seeds, options.base().iterations());
      return runOptions.run(spec, "retention-" + base.env(), header, "retention", "retention.json, retention.svg",
          (dir, device, w) -> Retention.table(Retention.run(services.registry(), options, dir, device, w)));
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

    /** The parent command, which holds the services (injection does not reach this abstract class's fields). */
    @ParentCommand ExperimentCommand parent;

    /** The ablation this command runs. */
    abstract SpecAblation ablation();

    @Override
    public Integer call() throws Exception {
      SpecAblation a = ablation();
      List<Long> seedList = AblationSpec.seeds(seeds);
      AblationSpec ablation = (specSource == null ? a.defaults().get() : AblationSpec.read(specSource, "--spec"))
          .withIterations(iterations);
      a.validate().validate(parent.services.registry(), ablation, seedList);
      String header = String.format("ludus experiment %s: %s; %d setting(s), %d seeds", a.name(), ablation.title(),
          ablation.settings().size(), seeds);
      String also = a.name() + ".json, and each setting's ablation.md/json/svg";
      return runOptions.run(spec, a.name(), header, a.name(), also,
          (dir, device, w) -> a.run().run(parent.services.registry(), ablation, seedList, dir, device, w));
    }
  }

  /**
   * An ablation read from a spec, as {@link SpecCommand} runs it: its name (of the command, the run directory and the
   * table), its embedded spec, its check and its run, which returns its table.
   */
  record SpecAblation(String name, Supplier<AblationSpec> defaults, Check validate, Run<String> run) {
    /** The ablation whose run gives a summary of type {@code S}, and {@code table} its table. */
    static <S> SpecAblation of(String name, Supplier<AblationSpec> defaults, Check validate, Run<S> run,
        Function<S, String> table) {
      return new SpecAblation(name, defaults, validate,
          (registry, spec, seeds, dir, device, w) -> table.apply(run.run(registry, spec, seeds, dir, device, w)));
    }

    /** Checks a spec and seeds before any run starts. */
    interface Check {
      void validate(Registry registry, AblationSpec spec, List<Long> seeds);
    }

    /** Runs every setting's arms and seeds into {@code directory}; returns the summary. */
    interface Run<S> {
      S run(Registry registry, AblationSpec spec, List<Long> seeds, Path directory, String device, PrintWriter w)
          throws InterruptedException;
    }
  }

  /** {@code ludus experiment sparse-shaping}: see {@link SparseShaping}. */
  @Command(name = "sparse-shaping", mixinStandardHelpOptions = true,
      description = "Turn-level shaping against the outcome alone where the untrained policy succeeds at most 5%% of "
          + "the time: untrained success, episodes to a threshold and final held-out success per environment and arm.")
  public static class SparseShapingCommand extends SpecCommand {
    @Override
    SpecAblation ablation() {
      return SpecAblation.of("sparse-shaping", SparseShaping::defaults, SparseShaping::validate, SparseShaping::run,
          SparseShaping::table);
    }
  }

  /** {@code ludus experiment hacking}: see {@link HackingAblation}. */
  @Command(name = "hacking", mixinStandardHelpOptions = true,
      description = "A hackable shaper that pays more than the task, alone and under the par, delta and clip "
          + "transforms: task success and the hacked component per arm.")
  public static class HackingCommand extends SpecCommand {
    @Override
    SpecAblation ablation() {
      return SpecAblation.of("hacking", HackingAblation::defaults, HackingAblation::validate, HackingAblation::run,
          HackingAblation::table);
    }
  }

  /** {@code ludus experiment noise}: see {@link NoiseAblation}. */
  @Command(name = "noise", mixinStandardHelpOptions = true,
      description = "Learning with a share of the outcome rewards flipped (the noise transform) against clean "
          + "rewards: episodes to a threshold, training and held-out success per arm.")
  public static class NoiseCommand extends SpecCommand {
    @Override
    SpecAblation ablation() {
      return SpecAblation.of("noise", NoiseAblation::defaults, NoiseAblation::validate, NoiseAblation::run,
          NoiseAblation::table);
    }
  }

  /** {@code ludus experiment generalisation}: see {@link Generalisation}. */
  @Command(name = "generalisation", mixinStandardHelpOptions = true,
      description = "One recipe on every environment: ludus train --env NAME as is, several seeds; held-out success "
          + "before training, after the warm start and after RL (mean ± std), wall and CPU time per run.")
  public static class GeneralisationCommand implements Callable<Integer> {
    @Option(names = "--envs", split = ",", paramLabel = "NAME", description = "The environments, in table order "
        + "(default: every registered one of guess-number, frozen-lake, gridworld, sokoban, twenty-questions, search-qa, "
        + "text-to-sql, deal-or-no-deal, emotional-support, tutoring, intent-discovery "
        + "and mastermind, the example plugin, when loaded with --plugins), each at the "
        + "size the experiment's table gives it (its defaults if the table has none).")
    List<String> envs;

    @Option(names = "--env-config", paramLabel = "NAME=YAML", description = "The settings of one environment's size, "
        + "instead of the table's (repeatable), e.g. --env-config 'frozen-lake={size: 5}'.")
    List<String> envConfigs;

    @Option(names = "--seeds", defaultValue = "3", paramLabel = "N",
        description = "Seeds 1..N per environment (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--iterations", paramLabel = "N", description = "Override the recipe's iterations in every run.")
    Integer iterations;

    @Option(names = "--config", paramLabel = "YAML", description = "A configuration laid over every run's recipe, "
        + "field by field, as train --config takes it (a file or inline YAML), e.g. --config '{selfPlay: shared}'.")
    String config;

    @Mixin ExperimentOptions runOptions;

    @Mixin CommonOptions common;
    @Spec CommandSpec spec;
    @Inject LudusServices services;

    @Override
    public Integer call() throws Exception {
      List<Long> seedList = AblationSpec.seeds(seeds);
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
      Generalisation.Options options = new Generalisation.Options(instances, seedList, iterations, config);
      Generalisation.validate(services.registry(), options);
      String header = String.format("ludus experiment generalisation: %s, %d seeds each",
          instances.stream().map(Generalisation.Instance::env).toList(), seeds);
      return runOptions.run(spec, "generalisation", header, "generalisation", "generalisation.json, generalisation.svg",
          (dir, device, w) -> Generalisation.table(Generalisation.run(services.registry(), options, dir, device, w)));
    }
  }
}
