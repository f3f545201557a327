package dev.ludus.runner.train;

import dev.ludus.agents.djl.DjlLmAgent;
import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.PrivilegedAgent;
import dev.ludus.api.Seeds;
import dev.ludus.environments.text.ActionText;
import dev.ludus.runner.learn.Demonstration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.IntStream;

/**
 * Plays the environment's oracle and turns each of its turns into a {@link Demonstration} for the student: the
 * prompt ids are the ones the student's chat template renders for that very conversation (taken from the
 * student's own token trace for the same request, so the prompt is never re-rendered by other code), and the
 * target is the oracle's action ({@link ActionText#extract}: the content of an {@code <answer>} tag, else the
 * whole text; or, asked to, its whole message) followed by the end-of-turn token. The episode goes on with that
 * action, so the conversation the next demonstration conditions on is exactly the one the student will see. The teacher is privileged (its oracle
 * needs the task); the student's request carries the task withheld, as in training. Thread-safe.
 *
 * <p>With noise {@code ε} above 0 (DART, Laskey, Lee, Fox, Dragan and Goldberg 2017, "DART: Noise Injection for
 * Robust Imitation Learning"; DAgger's β-mixture of expert and other policy, Ross, Gordon and Bagnell 2011), each turn
 * with probability {@code ε} the environment's random agent's action is played instead of the oracle's, so the
 * demonstrations also show states off the oracle's path (after a blocked move, say) and how the oracle goes on from
 * them. The demonstration of every turn, a noisy one included, is still the student's prompt for the state reached
 * and the oracle's action there: the random action is executed, never demonstrated. Which turns are noisy depends
 * on the episode's seed and the turn alone ({@link #noisy}), so a run is reproducible. {@link #demonstrations(Set)}
 * leaves out what a failed episode showed after its first non-oracle move: an oracle that sees no way on (sokoban's
 * box in a corner) still answers something, and that is no label. With {@code ε} 0 the turns and demonstrations
 * are exactly those of the oracle alone.
 */
final class TeacherAgent implements PrivilegedAgent {
  /** Salt of the noise draws, apart from any random agent's own use of the episode seed and turn. */
  private static final long NOISE_SALT = 0x44415254L; // "DART"

  private final Agent oracle;
  private final DjlLmAgent student;
  private final boolean wholeMessage;
  private final double noise;
  private final Agent random;
  private final List<Recorded> recorded = new ArrayList<>();
  private final Set<String> offPath = new HashSet<>();

  /**
   * One demonstration as recorded.
   *
   * @param episodeId the episode it was played in
   * @param turn the turn's index
   * @param demonstration the student's prompt and the oracle's target
   * @param afterNoise whether a non-oracle move was played earlier in the episode (the state may be off its path)
   */
  record Recorded(String episodeId, int turn, Demonstration demonstration, boolean afterNoise) {}

  TeacherAgent(Agent oracle, DjlLmAgent student) {
    this(oracle, student, false);
  }

  /** @param wholeMessage demonstrate the oracle's whole message, not only its action part */
  TeacherAgent(Agent oracle, DjlLmAgent student, boolean wholeMessage) {
    this(oracle, student, wholeMessage, 0, null);
  }

  /**
   * @param noise the probability of a turn played by {@code random} instead of the oracle, in [0, 1)
   * @param random the environment's random agent (not privileged: asked with the task withheld); null when
   *     {@code noise} is 0
   */
  TeacherAgent(Agent oracle, DjlLmAgent student, boolean wholeMessage, double noise, Agent random) {
    this.oracle = Objects.requireNonNull(oracle, "oracle");
    this.student = Objects.requireNonNull(student, "student");
    this.wholeMessage = wholeMessage;
    if (!(noise >= 0 && noise < 1)) {
      throw new IllegalArgumentException("noise must be in [0, 1), was " + noise);
    }
    if (noise > 0 && random == null) {
      throw new IllegalArgumentException("noise " + noise + " needs a random agent");
    }
    this.noise = noise;
    this.random = random;
  }

  @Override
  public CompletionStage<AgentResponse> act(AgentRequest request) {
    AgentRequest asStudent = new AgentRequest(request.episodeId(), request.task().withheld(), request.seed(),
        request.turn(), request.conversation(), request.tools(), request.seat());
    CompletionStage<AgentResponse> other = noisy(noise, request.seed(), request.turn())
        ? random.act(asStudent) : CompletableFuture.completedFuture(null);
    CompletionStage<AgentResponse> demonstrated = oracle.act(request).thenCombine(student.act(asStudent), (o, s) -> {
      if (!(o instanceof AgentResponse.Reply reply)) {
        return o;
      }
      String action = action(reply, wholeMessage);
      int[] target = target(student.tokenizer(), reply, wholeMessage);
      if (s instanceof AgentResponse.Reply r && r.tokens() != null && target != null) {
        synchronized (recorded) {
          recorded.add(new Recorded(request.episodeId(), request.turn(),
              new Demonstration(r.tokens().promptIds(), target), offPath.contains(request.episodeId())));
        }
      }
      return AgentResponse.reply(Message.assistant(action));
    });
    return demonstrated.thenCombine(other, (o, x) -> {
      if (!(o instanceof AgentResponse.Reply oracles) || !(x instanceof AgentResponse.Reply noisy)) {
        return o;
      }
      String played = action(noisy, wholeMessage);
      if (played.isEmpty() || played.equals(oracles.message().content())) {
        return o;
      }
      synchronized (recorded) {
        offPath.add(request.episodeId());
      }
      return AgentResponse.reply(Message.assistant(played));
    });
  }

  /**
   * Whether turn {@code turn} of the episode of seed {@code seed} is played by the random agent at noise
   * {@code noise}: a draw of its own for each episode seed and turn, never at noise 0.
   */
  static boolean noisy(double noise, long seed, int turn) {
    return noise > 0 && new SplittableRandom(Seeds.mix(Seeds.mix(seed, turn), NOISE_SALT)).nextDouble() < noise;
  }

  @Override
  public void episodeEnded(String episodeId) {
    oracle.episodeEnded(episodeId);
    student.episodeEnded(episodeId);
    if (random != null) {
      random.episodeEnded(episodeId);
    }
  }

  /** What the student imitates of the oracle's {@code reply}: its action part, or its whole message. */
  static String action(AgentResponse.Reply reply, boolean wholeMessage) {
    return wholeMessage ? reply.message().content().strip() : ActionText.extract(reply.message());
  }

  /** The target ids of {@code reply} ({@link #action}, then the end-of-turn token), or null when it has no action. */
  static int[] target(LmTokenizer tokenizer, AgentResponse.Reply reply, boolean wholeMessage) {
    String action = action(reply, wholeMessage);
    if (action.isEmpty()) {
      return null;
    }
    return IntStream.concat(IntStream.of(tokenizer.encode(action)), IntStream.of(tokenizer.eosId())).toArray();
  }

  /** The demonstrations collected so far, in the order they were recorded. */
  List<Demonstration> demonstrations() {
    return demonstrations(Set.of());
  }

  /**
   * As {@link #demonstrations()}, without those recorded after a non-oracle move in the episodes {@code failed}
   * names (their ids): there the oracle may have answered from a state it could not win from.
   */
  List<Demonstration> demonstrations(Set<String> failed) {
    synchronized (recorded) {
      return recorded.stream().filter(d -> !(d.afterNoise() && failed.contains(d.episodeId())))
          .map(Recorded::demonstration).toList();
    }
  }

  /** Every demonstration as recorded, in order, with its episode, turn and whether it came after a noisy move. */
  List<Recorded> recorded() {
    synchronized (recorded) {
      return List.copyOf(recorded);
    }
  }
}
