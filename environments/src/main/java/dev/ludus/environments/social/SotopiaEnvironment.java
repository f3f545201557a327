package dev.ludus.environments.social;

import dev.ludus.api.AsyncMultiAgentEnvironment;
import dev.ludus.api.MatchStart;
import dev.ludus.api.MatchStep;
import dev.ludus.api.Message;
import dev.ludus.api.SeatStart;
import dev.ludus.api.SeatStep;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Task;
import dev.ludus.environments.social.SotopiaProfiles.AgentProfile;
import dev.ludus.environments.social.SotopiaProfiles.EnvironmentProfile;
import dev.ludus.environments.social.SotopiaProfiles.Tables;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Sotopia (Zhou et al. 2024) for two seats, round-robin as its {@code action_order="round-robin"}: the task seed picks
 * a scenario and two distinct agent profiles from the tables; {@code agent-1} acts first, then they alternate. Each
 * message is one {@link SotopiaAction}; one that cannot be read counts as {@code none}, flagged with
 * {@code invalid-action}, and its writer is told why. The partner sees every action in Sotopia's natural language.
 * The episode ends (Sotopia's {@code RuleBasedTerminatedEvaluator}) when an agent leaves, after {@code maxTurns}
 * turns, or when more than {@code maxStaleTurns} turns in a row did nothing; then the {@link SotopiaEvaluator} scores
 * both agents on the seven dimensions, published as each seat's signals, and each seat's reward is its goal / 10 (or
 * its overall score). Not thread-safe.
 */
final class SotopiaEnvironment implements AsyncMultiAgentEnvironment {
  static final List<String> SEATS = List.of("agent-1", "agent-2");
  static final int MAX_CHARS = 4_000;

  private final SotopiaConfig config;
  private final Tables tables;
  private final SotopiaEvaluator evaluator;
  private EnvironmentProfile scenario;
  private List<AgentProfile> agents;
  private final List<SotopiaEvaluator.Turn> turns = new ArrayList<>();
  private final List<Set<String>> said = List.of(new HashSet<>(), new HashSet<>());
  private int stale;

  SotopiaEnvironment(SotopiaConfig config, Tables tables, SotopiaEvaluator evaluator) {
    this.config = config;
    this.tables = tables;
    this.evaluator = evaluator;
  }

  /** The scenario and the two agents of a task: a function of its seed and the tables. */
  static int[] draw(Tables tables, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int scenario = random.nextInt(tables.scenarios().size());
    int n = tables.agents().size();
    int a = random.nextInt(n);
    int b = (a + 1 + random.nextInt(n - 1)) % n;
    return new int[] {scenario, a, b};
  }

  @Override
  public CompletionStage<MatchStart> reset(Task task, long seed) {
    int[] d = draw(tables, task.seed());
    scenario = tables.scenarios().get(d[0]);
    agents = List.of(tables.agents().get(d[1]), tables.agents().get(d[2]));
    turns.clear();
    said.forEach(Set::clear);
    stale = 0;
    Map<String, SeatStart> seats = new LinkedHashMap<>();
    for (int s = 0; s < 2; s++) {
      String goal = scenario.agentGoals().get(s);
      String secret = agents.get(s).secret() == null ? "" : agents.get(s).secret();
      seats.put(SEATS.get(s), new SeatStart(SotopiaText.opening(scenario, agents, s, config), List.of(),
          Map.of("goal", goal, "secret", secret), Signals.builder().put(SotopiaSignals.PRIVATE_GOAL, goal)
              .put(SotopiaSignals.PROFILE_SECRET, secret).build()));
    }
    return CompletableFuture.completedFuture(MatchStart.turn(seats, SEATS.get(0)));
  }

  @Override
  public CompletionStage<MatchStep> step(Map<String, Message> moves) {
    String moverName = moves.keySet().iterator().next();
    int mover = SEATS.indexOf(moverName);
    int other = 1 - mover;
    Message m = moves.get(moverName);
    SotopiaAction.Result parsed = m.toolCalls().isEmpty()
        ? m.content().length() > MAX_CHARS ? new SotopiaAction.Result(java.util.Optional.empty(), "the message has "
            + m.content().length() + " characters; at most " + MAX_CHARS + " are allowed") : SotopiaAction.parse(
                m.content())
        : new SotopiaAction.Result(java.util.Optional.empty(), "there are no tools here; write an action");
    boolean understood = parsed.action().isPresent();
    SotopiaAction action = parsed.action().orElse(SotopiaAction.NONE);
    turns.add(new SotopiaEvaluator.Turn(mover, action, understood));
    stale = action.type().equals("none") ? stale + 1 : 0;
    Signals.Builder moverSignals = Signals.builder().put(SotopiaSignals.UTTERANCE_ATTRIBUTION,
        attribution(mover, action, understood));
    List<Message> toMover = new ArrayList<>();
    if (!understood) {
      moverSignals.put(StandardSignals.INVALID_ACTION, parsed.error());
      toMover.add(Message.user(SotopiaText.NOT_UNDERSTOOD + parsed.error() + ". It counts as doing nothing."));
    }
    List<Message> toOther = new ArrayList<>(List.of(Message.user(SotopiaText.partnerAction(agents.get(mover),
        action))));
    boolean end = action.type().equals("leave") || turns.size() >= config.maxTurns() || stale > config.maxStaleTurns();
    if (!end) {
      Map<String, SeatStep> out = new LinkedHashMap<>();
      out.put(SEATS.get(other), new SeatStep(toOther, 0, Signals.empty()));
      out.put(moverName, new SeatStep(toMover, 0, moverSignals.build()));
      return CompletableFuture.completedFuture(MatchStep.turn(out, SEATS.get(other)));
    }
    SotopiaEvaluator.Episode episode = new SotopiaEvaluator.Episode(scenario, agents, List.copyOf(turns));
    boolean agreed = episode.agreement().isPresent();
    String why = action.type().equals("leave") ? agents.get(mover).name() + " left"
        : turns.size() >= config.maxTurns() ? "the turn limit was reached" : "nothing happened for too long";
    return evaluator.evaluate(episode).thenApply(scores -> {
      Map<String, SeatStep> out = new LinkedHashMap<>();
      for (int s = 0; s < 2; s++) {
        SotopiaEvaluator.Scores sc = scores.get(s);
        List<Message> messages = new ArrayList<>(s == mover ? toMover : toOther);
        messages.add(Message.user("The conversation is over: " + why + "."));
        Signals.Builder signals = s == mover ? moverSignals : Signals.builder();
        signals.put(SotopiaSignals.GOAL, sc.goal()).put(SotopiaSignals.BELIEVABILITY, sc.believability())
            .put(SotopiaSignals.KNOWLEDGE, sc.knowledge()).put(SotopiaSignals.SECRET, sc.secret())
            .put(SotopiaSignals.RELATIONSHIP, sc.relationship()).put(SotopiaSignals.SOCIAL_RULES, sc.socialRules())
            .put(SotopiaSignals.FINANCIAL, sc.financial()).put(SotopiaSignals.OVERALL, sc.overall())
            .put(SotopiaSignals.AGREEMENT, agreed).put(StandardSignals.SUCCESS, sc.goal() >= 10);
        double reward = config.reward().equals("overall") ? sc.overall() : sc.goal() / 10;
        out.put(SEATS.get(s), new SeatStep(messages, reward, signals.build()));
      }
      return MatchStep.end(out);
    });
  }

  /** The rule proxy of Sotopia-RL's attribution label ({@link SotopiaSignals#UTTERANCE_ATTRIBUTION}). */
  private double attribution(int agent, SotopiaAction action, boolean understood) {
    String normal = action.argument().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
    if (!normal.isEmpty() && !said.get(agent).add(normal)) {
      return -1;
    }
    if (!understood || action.type().equals("none") || action.type().equals("leave")) {
      return 0;
    }
    return action.accepts() ? 3 : action.proposal().isPresent() ? 2 : 1;
  }
}
