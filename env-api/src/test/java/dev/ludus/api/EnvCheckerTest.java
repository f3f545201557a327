package dev.ludus.api;

import static dev.ludus.api.CheckerFixtures.failed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** EnvChecker passes a conforming environment and names each way a broken one breaks the contract. */
class EnvCheckerTest {
  static final SignalKey<String> TARGET = SignalKey.secret("target", String.class);
  static final SignalKey<Integer> UNDECLARED = SignalKey.of("undeclared", Integer.class);

  /** A three-step echo game; each flag breaks one rule. */
  static final class Echo implements Environment {
    boolean leakSecret;
    boolean publishUndeclared;
    boolean throwOnGarbage;
    boolean neverEnds;
    Supplier<Long> noise = () -> 0L;
    int turn;

    @Override
    public Reset reset(Task task, long seed) {
      turn = 0;
      return new Reset(List.of(Message.user("say anything" + (leakSecret ? " (it is zebra)" : ""))), List.of(),
          Signals.of(TARGET, "zebra"));
    }

    @Override
    public StepResult step(Message action) {
      if (throwOnGarbage && action.content().contains("%%%")) {
        throw new IllegalArgumentException("cannot parse");
      }
      turn++;
      Signals.Builder s = Signals.builder().put(TARGET, "zebra");
      if (publishUndeclared) {
        s.put(UNDECLARED, 1);
      }
      boolean done = !neverEnds && turn >= 3;
      if (done) {
        s.put(StandardSignals.SUCCESS, true);
      }
      return new StepResult(List.of(Message.user("echo " + noise.get())), done ? 1 : 0, done, false, s.build());
    }
  }

  static BoundEnvironment bound(Supplier<AnyEnvironment> make) {
    CheckerFixtures.TestProvider p = new CheckerFixtures.TestProvider() {
      @Override
      public String name() {
        return "echo";
      }

      @Override
      public AnyEnvironment create(NoConfig config) {
        return make.get();
      }

      @Override
      public Set<SignalKey<?>> signals() {
        return Set.of(TARGET, StandardSignals.SUCCESS);
      }

      @Override
      public Agent randomAgent(NoConfig config) {
        return r -> CompletableFuture.completedFuture(AgentResponse.reply(Message.assistant("hi " + r.turn())));
      }
    };
    return p.bind(NoConfig.INSTANCE);
  }

  @Test
  void aConformingEnvironmentPassesEveryCheck() {
    EnvChecker.Report r = EnvChecker.check(bound(Echo::new));
    assertTrue(r.passed(), r.toString());
    assertEquals(8, r.checks().size());
  }

  @Test
  void nonDeterminismIsCaught() {
    AtomicLong counter = new AtomicLong();
    EnvChecker.Report r = EnvChecker.check(bound(() -> {
      Echo e = new Echo();
      e.noise = counter::incrementAndGet;
      return e;
    }));
    assertTrue(failed(r).contains("same seed and actions give the same trace"), r.toString());
  }

  @Test
  void aLeakedSecretIsCaught() {
    EnvChecker.Report r = EnvChecker.check(bound(() -> {
      Echo e = new Echo();
      e.leakSecret = true;
      return e;
    }));
    assertEquals(List.of("signals are declared and secrets stay hidden"), failed(r));
    assertTrue(r.toString().contains("secret signal 'target' = 'zebra' appears"), r.toString());
  }

  @Test
  void anUndeclaredSignalIsCaught() {
    EnvChecker.Report r = EnvChecker.check(bound(() -> {
      Echo e = new Echo();
      e.publishUndeclared = true;
      return e;
    }));
    assertTrue(r.toString().contains("publishes signal 'undeclared' that signals() does not declare"), r.toString());
  }

  @Test
  void throwingOnAMalformedActionIsCaught() {
    EnvChecker.Report r = EnvChecker.check(bound(() -> {
      Echo e = new Echo();
      e.throwOnGarbage = true;
      return e;
    }));
    assertEquals(List.of("malformed actions are answered, not thrown"), failed(r));
  }

  @Test
  void anEpisodeThatNeverEndsIsCaught() {
    EnvChecker.Report r = EnvChecker.check(bound(() -> {
      Echo e = new Echo();
      e.neverEnds = true;
      return e;
    }), new EnvChecker.Options(1, 50, 1_000));
    assertTrue(failed(r).contains("episodes end and step after the end is refused"), r.toString());
    AssertionError err = assertThrows(AssertionError.class, r::assertPassed);
    assertTrue(err.getMessage().contains("no end after 50 random steps"), err.getMessage());
  }

  @Test
  void asynchronousEnvironmentsAreCheckedThroughTheirStages() {
    EnvChecker.Report r = EnvChecker.check(bound(() -> new AsyncEnvironment() {
      final Echo inner = new Echo();

      @Override
      public CompletionStage<Reset> reset(Task task, long seed) {
        return CompletableFuture.supplyAsync(() -> inner.reset(task, seed));
      }

      @Override
      public CompletionStage<StepResult> step(Message action) {
        return CompletableFuture.supplyAsync(() -> inner.step(action));
      }
    }));
    assertTrue(r.passed(), r.toString());
  }

  @Test
  void theOrderEnforcingWrapperRefusesStepBeforeResetAndAfterTheEnd() {
    AnyEnvironment env = bound(Echo::new).create();
    Environment e = (Environment) env;
    IllegalStateException before = assertThrows(IllegalStateException.class, () -> e.step(Message.assistant("x")));
    assertTrue(before.getMessage().startsWith("step before reset"));
    e.reset(Task.generated("echo", 1), 1);
    for (int i = 0; i < 3; i++) {
      e.step(Message.assistant("x"));
    }
    assertThrows(IllegalStateException.class, () -> e.step(Message.assistant("x")));
    e.reset(Task.generated("echo", 1), 1);
    assertFalse(e.step(Message.assistant("x")).done(), "a new reset starts over");
  }
}
