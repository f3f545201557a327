package dev.ludus.runner.cli;

import dev.ludus.runner.cli.CliRun.Outcome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code ludus check-sim}: rates on a built-in user, bad input, and the threshold's exit code. */
class CheckSimCliTest {
  private static ApplicationContext context;

  @BeforeAll
  static void start() {
    context = ApplicationContext.run();
  }

  @AfterAll
  static void stop() {
    context.close();
  }


  private static Outcome ludus(String... args) {
    return CliRun.in(context, args);
  }

  @Test
  void checkSim_reportsEachChecksRate_onTheEnvironmentThatHostsTheUser() {
    Outcome o = ludus("check-sim", "emotional-support-user", "--episodes", "3");
    assertEquals(0, o.code(), o.out() + o.err());
    assertTrue(o.out().contains("emotional-support-user (tasks of emotional-support)"), o.out());
    assertTrue(o.out().matches("(?s).*oracle-replay\\s+1\\.000 \\(3/3\\).*"), o.out());
    assertTrue(o.out().matches("(?s).*leak-rejected\\s+n/a.*"), o.out());
  }

  @Test
  void aRateBelowTheThreshold_exitsWith1_namingTheCheck() {
    Outcome o = ludus("check-sim", "tutoring-student", "--episodes", "3", "--fail-below", "1.0");
    assertEquals(1, o.code(), o.out() + o.err());
    assertTrue(o.out().contains("tutoring-student: unknown-facts"), o.out());
  }

  @Test
  void anUnknownSimulatorOrABadConfig_isBadInput() {
    Outcome unknown = ludus("check-sim", "no-such-user");
    assertEquals(2, unknown.code(), unknown.out() + unknown.err());
    assertTrue(unknown.err().contains("no-such-user"), unknown.err());
    Outcome bad = ludus("check-sim", "tutoring-student", "--sim-config", "{leakSteps: 0}");
    assertEquals(2, bad.code(), bad.out() + bad.err());
    assertTrue(bad.err().contains("leakSteps"), bad.err());
  }
}
