package dev.ludus.runner.train;

import dev.ludus.agents.djl.DjlLmAgent;
import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.api.Agent;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.ConfigException;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The frozen partner of multi-agent training ({@code selfPlay: frozen-partner}), after Lewis et al. 2017, "Deal or No
 * Deal? End-to-End Learning for Negotiation Dialogues": they fix the parameters of one agent (the supervised model)
 * and train the other with RL against it, because self-play drifts away from the language and the deals the
 * supervised model learnt. Here the partner is a copy of the policy's weights as RL starts (after the warm start),
 * which no update touches, played by {@code djl-lm} agents of its own: one sampling as the policy samples in training,
 * one at the evaluation temperature for validation and held-out evaluation.
 *
 * <p>The learning seat: in each match one seat is the learning policy's and every other seat is the partner's. With
 * no {@code learningSeat} configured it alternates over the groups of a rollout: group {@code g} (matches {@code
 * g·G .. g·G + G − 1}) learns in seat {@code g mod n} of the environment's {@code n} seats, so the policy learns every
 * role, each group's episodes are one seat's, and an evaluation (groups of one) plays every seat in turn; with
 * {@code learningSeat} it is always that seat. {@link Rollouts} plays the partner's seats and hands back only the
 * learning seat's episodes, so only they are trained.
 *
 * <p>Immutable but for closing; thread-safe. Owns the copied model and its agents and closes them.
 */
final class FrozenPartner implements AutoCloseable {
  /** The agent name recorded in the partner's episodes. */
  static final String NAME = "frozen-partner";

  private final LanguageModel model;
  private final DjlLmAgent training;
  private final DjlLmAgent evaluation;
  private final List<String> seats;
  private final String fixedSeat;
  private final String source;

  private FrozenPartner(LanguageModel model, DjlLmAgent policy, double evalTemperature, List<String> seats,
      String fixedSeat, String source) {
    this.model = model;
    this.training = DjlLmAgent.sharing(model, policy.tokenizer(), policy.config());
    this.evaluation = DjlLmAgent.sharing(model, policy.tokenizer(),
        policy.config().withSampling(evalTemperature, 0, 1.0));
    this.seats = List.copyOf(seats);
    this.fixedSeat = fixedSeat;
    this.source = source;
  }

  /**
   * A partner on a copy of {@code policy}'s weights as they are now.
   *
   * @param seats the environment's seats, in its order
   * @param learningSeat the fixed learning seat, or null to alternate
   * @param source where the weights come from, for messages (e.g. "the policy after the warm start")
   */
  static FrozenPartner freeze(DjlLmAgent policy, double evalTemperature, List<String> seats, String learningSeat,
      String source) {
    return of(policy.model().frozenCopy(), policy, evalTemperature, seats, learningSeat, source);
  }

  /** A partner on {@code model} (which it then owns and closes), sampling with {@code policy}'s tokenizer and config. */
  static FrozenPartner of(LanguageModel model, DjlLmAgent policy, double evalTemperature, List<String> seats,
      String learningSeat, String source) {
    if (seats.size() < 2) {
      model.close();
      throw new IllegalArgumentException("a frozen partner needs at least two seats, got " + seats);
    }
    if (learningSeat != null && !seats.contains(learningSeat)) {
      model.close();
      throw new ConfigException("learningSeat '" + learningSeat + "' is not a seat; the seats: " + String.join(", ",
          seats));
    }
    return new FrozenPartner(model, policy, evalTemperature, seats, learningSeat, Objects.requireNonNull(source));
  }

  /** The learning policy's seat in the matches of group {@code group} (0-based, within one rollout). */
  String learningSeat(long group) {
    return learningSeat(seats, fixedSeat, group);
  }

  /**
   * The law of the learning seat: {@code fixed} when not null, else seat {@code group mod n} of the {@code n}
   * {@code seats}, so consecutive groups take the seats in turn and each seat learns in every n-th group.
   */
  static String learningSeat(List<String> seats, String fixed, long group) {
    if (group < 0) {
      throw new IllegalArgumentException("group must be at least 0, was " + group);
    }
    return fixed != null ? fixed : seats.get((int) (group % seats.size()));
  }

  /** The seats the policy may learn in: the fixed one, or all of them. */
  List<String> learningSeats() {
    return fixedSeat != null ? List.of(fixedSeat) : seats;
  }

  /** The environment's seats. */
  List<String> seats() {
    return seats;
  }

  /** The agent for the partner's seats: sampling as in training, or at the evaluation temperature. */
  Agent agent(boolean evaluating) {
    return evaluating ? evaluation : training;
  }

  /** The frozen weights (a model of its own: no learner updates it). */
  LanguageModel model() {
    return model;
  }

  /** What the evaluations say they play against. */
  String describe() {
    return NAME + " (" + source + (fixedSeat != null ? "; the policy learns as " + fixedSeat
        : "; the policy's seat alternates") + ")";
  }

  /**
   * Refuses {@code selfPlay} and {@code learningSeat} where they make no sense for {@code env}: either set for a
   * single-agent environment, a learning seat the environment does not have, or a value that is not allowed.
   *
   * @param origin where a field was set, for the message
   */
  static void refuseSenseless(String selfPlay, String learningSeat, BoundEnvironment env,
      Function<String, String> origin) {
    if (selfPlay != null && !selfPlay.equals("frozen-partner") && !selfPlay.equals("shared")) {
      throw new ConfigException("train: selfPlay must be frozen-partner (a frozen copy of the policy plays the other "
          + "seats) or shared (the policy plays every seat), was '" + selfPlay + "' (" + origin.apply("selfPlay")
          + ")");
    }
    for (String field : new String[] {"selfPlay", "learningSeat"}) {
      String value = field.equals("selfPlay") ? selfPlay : learningSeat;
      if (value != null && !env.multiAgent()) {
        throw new ConfigException("train: " + field + " is " + value + " (" + origin.apply(field) + ") but environment '"
            + env.name() + "' has no seats: " + field + " applies to multi-agent environments only; leave it out");
      }
    }
    if (learningSeat != null && !env.seats().contains(learningSeat)) {
      throw new ConfigException("train: learningSeat is '" + learningSeat + "' (" + origin.apply("learningSeat")
          + ") but environment '" + env.name() + "' has no such seat; its seats: " + String.join(", ", env.seats()));
    }
  }

  /**
   * Refuses a configuration whose {@code selfPlay} or {@code learningSeat} make no sense for {@code env}
   * ({@link #refuseSenseless}), and a frozen partner in cluster mode (the workers play every seat with the published
   * policy).
   */
  static void check(TrainConfig config, BoundEnvironment env, boolean cluster) {
    refuseSenseless(config.selfPlay() == null ? null : config.selfPlay().label(), config.learningSeat(), env,
        field -> "the configuration");
    if (cluster && applies(config, env)) {
      throw new ConfigException("train --cluster: the workers play every seat with the published policy, so "
          + "selfPlay: frozen-partner cannot run there; set selfPlay: shared");
    }
  }

  /** Whether {@code config} trains {@code env} against a frozen partner. */
  static boolean applies(TrainConfig config, BoundEnvironment env) {
    return config.selfPlay() == TrainConfig.SelfPlay.FROZEN_PARTNER && env.multiAgent();
  }

  /**
   * Where the configuration asks for it and {@code rollouts} has no partner yet: freezes the policy as it is now (a
   * fresh run, as RL starts), or on a resume takes the checkpoint's KL reference (the policy as RL started) when it
   * has one, else the weights at the resume; makes {@code rollouts} play against it, has {@code open} close it and
   * says so. Does nothing otherwise, so it may be called at every point where RL may start.
   *
   * @param checkpoint the checkpoint a resumed run starts from, or null for a fresh run
   */
  static void start(TrainConfig config, BoundEnvironment env, DjlLmAgent policy, java.nio.file.Path checkpoint,
      Rollouts rollouts, Resources open, java.io.PrintWriter out) {
    if (!applies(config, env) || rollouts.partner() != null) {
      return;
    }
    java.nio.file.Path reference = checkpoint == null ? null
        : checkpoint.resolve(dev.ludus.runner.learn.LearnerCheckpoint.REFERENCE);
    FrozenPartner partner;
    if (reference != null && java.nio.file.Files.isDirectory(reference)) {
      partner = open.add(of(policy.model().loadFrozen(reference), policy, config.evalTemperature(), env.seats(),
          config.learningSeat(), "the policy as RL started: the checkpoint's KL reference"));
    } else {
      partner = open.add(freeze(policy, config.evalTemperature(), env.seats(), config.learningSeat(),
          checkpoint == null ? "the policy as RL starts" : "the policy at the resume: the checkpoint keeps no copy of "
              + "the policy as RL started"));
    }
    rollouts.playAgainst(partner);
    out.println("self-play: the policy plays one seat of each match against " + partner.describe()
        + "; only the policy's seat is trained and evaluated (Lewis et al. 2017)");
    out.flush();
  }

  @Override
  public void close() {
    try {
      training.close();
      evaluation.close();
    } finally {
      model.close();
    }
  }
}
