package dev.ludus.api;

import static dev.ludus.api.CheckerFixtures.detail;
import static dev.ludus.api.CheckerFixtures.failed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * EnvChecker on multi-agent environments: a conforming two-seat game passes, and each planted leak of one seat's
 * secret to the other (in an opening, a later observation, or the private view a privileged agent would get) is
 * caught and named, as are the other ways to break the contract.
 */
class MatchCheckerTest {
  static final SignalKey<String> WORD = SignalKey.secret("word", String.class);
  static final List<String> SEATS = List.of("alice", "bob");
  static final List<String> WORDS = List.of("zebra", "walrus", "heron", "bison", "otter", "lemur");

  /** Each seat holds a secret word; the seats take turns saying things for four moves; each flag breaks one rule. */
  static final class Whisper implements MultiAgentEnvironment {
    boolean leakInOpening;
    boolean leakInPrivateInfo;
    boolean leakLater;
    boolean noisy;
    boolean silentOnGarbage;
    static final java.util.concurrent.atomic.AtomicInteger NOISE = new java.util.concurrent.atomic.AtomicInteger();
    final Map<String, String> words = new java.util.HashMap<>();
    int moves;

    @Override
    public MatchStart reset(Task task, long seed) {
      moves = 0;
      words.put("alice", WORDS.get((int) (task.seed() % 3)));
      words.put("bob", WORDS.get(3 + (int) (task.seed() % 3)));
      return MatchStart.turn(Map.of(
          "alice", opening("alice", leakInOpening ? " (bob's word is " + words.get("bob") + ")" : ""),
          "bob", opening("bob", "")), (seed % 2 == 0) ? "alice" : "bob");
    }

    private SeatStart opening(String seat, String extra) {
      Map<String, String> info = leakInPrivateInfo && seat.equals("alice")
          ? Map.of("word", words.get(seat), "partner", words.get("bob")) : Map.of("word", words.get(seat));
      return new SeatStart(List.of(Message.user("your word is " + words.get(seat) + extra)), List.of(), info,
          Signals.of(WORD, words.get(seat)));
    }

    @Override
    public MatchStep step(Map<String, Message> move) {
      String mover = move.keySet().iterator().next();
      String other = mover.equals("alice") ? "bob" : "alice";
      moves++;
      String said = move.get(mover).content();
      if (said.isBlank() || said.contains("%%%")) {
        Signals invalid = Signals.of(StandardSignals.INVALID_ACTION, "unreadable");
        SeatStep answer = new SeatStep(silentOnGarbage ? List.of() : List.of(Message.user("say words")), 0, invalid);
        return MatchStep.turn(Map.of(mover, answer), other);
      }
      String relayed = "they said: " + said.substring(0, Math.min(40, said.length())) + (noisy ? " " + NOISE.incrementAndGet() : "")
          + (leakLater && moves == 2 ? " and their word is " + words.get(mover) : "");
      if (moves >= 4) {
        Signals end = Signals.of(StandardSignals.SUCCESS, true);
        return MatchStep.end(Map.of(mover, new SeatStep(List.of(), 1, end),
            other, new SeatStep(List.of(Message.user(relayed)), 1, end)));
      }
      return MatchStep.turn(Map.of(other, SeatStep.of(Message.user(relayed), Signals.empty())), other);
    }
  }

  static BoundEnvironment bound(Consumer<Whisper> flags) {
    CheckerFixtures.TestMatchProvider p = new CheckerFixtures.TestMatchProvider() {
      @Override
      public String name() {
        return "whisper";
      }

      @Override
      public List<String> seats(NoConfig config) {
        return SEATS;
      }

      @Override
      public AnyMultiAgentEnvironment create(NoConfig config) {
        Whisper w = new Whisper();
        flags.accept(w);
        return w;
      }

      @Override
      public Set<SignalKey<?>> signals() {
        return Set.of(WORD, StandardSignals.SUCCESS, StandardSignals.INVALID_ACTION);
      }

      @Override
      public Agent randomAgent(NoConfig config) {
        return r -> CompletableFuture.completedFuture(AgentResponse.reply(Message.assistant(
            "hello number " + Seeds.mix(r.seed(), r.turn()) % 100)));
      }
    };
    return p.bind(NoConfig.INSTANCE);
  }

  static final String SECRETS = "signals are declared and no seat sees another seat's secrets";

  @Test
  void aConformingTwoSeatGamePassesEveryCheck() {
    EnvChecker.Report r = EnvChecker.check(bound(w -> {}));
    assertTrue(r.passed(), r.toString());
    assertEquals(8, r.checks().size());
    assertTrue(detail(r, SECRETS).contains("secret values checked"), detail(r, SECRETS));
    assertTrue(!detail(r, SECRETS).startsWith("3 declared, 0 "), "secrets were actually compared: " + r);
  }

  @Test
  void aSecretShownInAnotherSeatsOpeningIsCaught() {
    EnvChecker.Report r = EnvChecker.check(bound(w -> w.leakInOpening = true));
    assertEquals(List.of(SECRETS), failed(r), r.toString());
    assertTrue(detail(r, SECRETS).matches("seat 'alice' can read seat 'bob''s (secret signal 'word'|private 'word') "
        + "= '(bison|otter|lemur)' in its opening"), detail(r, SECRETS));
  }

  @Test
  void aSecretRelayedLaterInTheMatchIsCaught() {
    EnvChecker.Report r = EnvChecker.check(bound(w -> w.leakLater = true));
    assertEquals(List.of(SECRETS), failed(r), r.toString());
    assertTrue(detail(r, SECRETS).contains("in its observation after step 1, before the match ended"),
        detail(r, SECRETS));
  }

  @Test
  void anotherSeatsSecretInAPrivateViewIsCaughtInTheRequest() {
    EnvChecker.Report r = EnvChecker.check(bound(w -> w.leakInPrivateInfo = true));
    assertEquals(List.of(SECRETS), failed(r), r.toString());
    assertTrue(detail(r, SECRETS).contains("seat 'alice' can read seat 'bob''s")
        && detail(r, SECRETS).contains("in its request's task field 'partner' (its private information)"),
        detail(r, SECRETS));
  }

  @Test
  void nonDeterminismIsCaught() {
    EnvChecker.Report r = EnvChecker.check(bound(w -> w.noisy = true));
    assertTrue(failed(r).contains("same seed and moves give the same trace"), r.toString());
  }

  @Test
  void aMalformedMoveLeftUnansweredIsCaught() {
    EnvChecker.Report r = EnvChecker.check(bound(w -> w.silentOnGarbage = true));
    assertTrue(failed(r).contains("malformed moves are answered to their seat, not thrown"), r.toString());
  }

  @Test
  void theWrapperRefusesMovesOutOfTurnAndAnswersNamingUndeclaredSeats() {
    BoundEnvironment env = bound(w -> {});
    try (AnyEnvironment e = env.create()) {
      MultiAgentEnvironment m = (MultiAgentEnvironment) e;
      MatchStart start = m.reset(Task.generated("whisper", 1), 0);
      assertEquals(Set.of("alice"), start.next());
      IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
          () -> m.step(Map.of("bob", Message.assistant("me first"))));
      assertEquals("environment 'whisper' expects moves from [alice], got moves from [bob]", wrong.getMessage());
      assertEquals(Set.of("bob"), m.step(Map.of("alice", Message.assistant("hi"))).next());
    }
    CheckerFixtures.TestMatchProvider oneSeatShort = new CheckerFixtures.TestMatchProvider() {
      public String name() {
        return "short";
      }

      public List<String> seats(NoConfig c) {
        return List.of("alice", "bob", "carol");
      }

      public AnyMultiAgentEnvironment create(NoConfig c) {
        return new Whisper();
      }

      public Set<SignalKey<?>> signals() {
        return Set.of(WORD);
      }

      public Agent randomAgent(NoConfig c) {
        return r -> CompletableFuture.completedFuture(AgentResponse.reply(Message.assistant("hi")));
      }
    };
    EnvChecker.Report r = EnvChecker.check(oneSeatShort.bind(NoConfig.INSTANCE));
    assertTrue(detail(r, "reset gives every seat to move an opening")
        .contains("reset must give an opening to each seat [alice, bob, carol], gave [alice, bob]"), r.toString());
  }

  @Test
  void seatsAreValidatedWhenBound() {
    CheckerFixtures.TestMatchProvider twice = new CheckerFixtures.TestMatchProvider() {
      public String name() {
        return "twice";
      }

      public List<String> seats(NoConfig c) {
        return List.of("alice", "alice");
      }

      public Set<SignalKey<?>> signals() {
        return Set.of();
      }

      public Agent randomAgent(NoConfig c) {
        return r -> null;
      }
    };
    ConfigException e = assertThrows(ConfigException.class, () -> twice.bind(NoConfig.INSTANCE));
    assertEquals("multi-agent environment 'twice' declares a seat twice: [alice, alice]", e.getMessage());
  }

  @Test
  void theOracleIsPrivilegedAndTheRandomAgentIsNot() {
    Task task = new Task("t", 3, Map.of("gold", "42"));
    Agent plain = r -> null;
    assertEquals(Map.of(), task.visibleTo(plain).fields());
    assertEquals(task, task.visibleTo(PrivilegedAgent.of(plain)));
    assertEquals(new Task("t", 3, Map.of()), task.withheld());
    assertEquals(new Task("t", 3, Map.of("word", "zebra")), task.seatView(Map.of("word", "zebra")));
  }
}
