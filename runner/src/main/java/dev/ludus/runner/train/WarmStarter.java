package dev.ludus.runner.train;

import dev.ludus.agents.djl.DjlLmAgent;
import dev.ludus.api.Agent;
import dev.ludus.runner.learn.Demonstration;
import dev.ludus.runner.learn.ImitationStats;
import dev.ludus.runner.learn.PolicyLearner;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * The warm start before RL: the oracle plays {@code warmStartEpisodes} episodes, its turns become demonstrations
 * (see {@link TeacherAgent}), and {@link PolicyLearner#imitate} steps on them until their token accuracy reaches
 * {@code warmStartAccuracy} (and the loss {@code warmStartLoss}, when set) or {@code warmStartSteps} steps were taken.
 * With PPO-ptx the learner keeps the demonstrations to go on imitating them during RL. Stateless.
 */
final class WarmStarter {
  private WarmStarter() {}

  /** Runs the warm start on {@code policy}; what it reached, or null when the oracle gave no demonstrations. */
  static Trainer.WarmStart run(TrainConfig config, Resolved r, Rollouts rollouts, DjlLmAgent policy,
      PolicyLearner learner, String runId, PrintWriter out) throws InterruptedException {
    Agent oracle = r.env().oracle().orElseThrow();
    TeacherAgent teacher = new TeacherAgent(oracle, policy, config.warmStartTarget().equals(TrainConfig.MESSAGE));
    rollouts.unscored(teacher, runId + "-warm", config.warmStartEpisodes(),
        config.seed() + 7 * Rollouts.EVAL_SEED_OFFSET);
    List<Demonstration> demos = teacher.demonstrations();
    if (demos.isEmpty()) {
      out.println("warm start: the oracle's turns gave no demonstrations; skipped");
      return null;
    }
    ImitationStats first = null;
    ImitationStats last = null;
    int steps = 0;
    String stopped = "the step limit (" + config.warmStartSteps() + ")";
    while (steps < config.warmStartSteps()) {
      last = learner.imitate(demos);
      steps++;
      first = first == null ? last : first;
      if (config.warmStartAccuracy() > 0 && last.tokenAccuracy() >= config.warmStartAccuracy()
          && (config.warmStartLoss() <= 0 || last.loss() <= config.warmStartLoss())) {
        stopped = String.format(Locale.ROOT, "fitted: token accuracy %.3f >= %.3f", last.tokenAccuracy(),
            config.warmStartAccuracy()) + (config.warmStartLoss() > 0
            ? String.format(Locale.ROOT, ", loss %.3f <= %.3f", last.loss(), config.warmStartLoss()) : "");
        break;
      }
    }
    Trainer.WarmStart reached = new Trainer.WarmStart(demos.size(), steps, last.loss(), last.tokenAccuracy(),
        last.entropy());
    if (learner.config().usesPtx()) {
      learner.setDemonstrations(demos); // PPO-ptx: RL keeps imitating them
    }
    out.printf(Locale.ROOT, "warm start: %d demonstrations from %d oracle episodes, %d imitation steps (stopped at %s), "
        + "loss %.3f -> %.3f, token accuracy %.3f -> %.3f, entropy %.3f -> %.3f%n", demos.size(),
        config.warmStartEpisodes(), steps, stopped, first.loss(), last.loss(), first.tokenAccuracy(),
        last.tokenAccuracy(), first.entropy(), last.entropy());
    out.flush();
    return reached;
  }
}
