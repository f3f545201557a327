package dev.ludus.environments.social;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.EnvChecker;
import dev.ludus.api.PrivilegedAgent;
import dev.ludus.api.Registry;
import java.util.List;
import java.util.Set;

/** The checks every social (multi-seat) environment's test makes, written once. */
final class SocialChecks {
  private SocialChecks() {}

  /**
   * {@code env} passes the environment contract over {@code episodes} episodes, declares {@code declared} signals,
   * and at least one secret value was checked against the seats that must not read it.
   */
  static void assertPassesTheContractWithNoSeatReadingTheOthersSecrets(BoundEnvironment env, int episodes,
      int declared) {
    EnvChecker.Report r = EnvChecker.check(env, new EnvChecker.Options(episodes, 2_000, 10_000));
    r.assertPassed();
    String secrets = r.checks().stream().filter(c -> c.name().startsWith("signals are declared")).findFirst()
        .orElseThrow().detail();
    assertTrue(secrets.matches(declared + " declared, [1-9]\\d* secret values checked against the other seats"),
        secrets);
  }

  /** The environment registered as {@code name} is multi-agent with these seats and bots, and a privileged oracle. */
  static void assertRegistered(String name, List<String> seats, Set<String> bots) {
    var provider = Registry.load().environments().get(name);
    BoundEnvironment env = BoundEnvironment.ofUnchecked(provider, provider.defaultConfig());
    assertTrue(env.multiAgent());
    assertEquals(seats, env.seats());
    assertEquals(bots, env.bots().keySet());
    assertTrue(env.oracle().orElseThrow() instanceof PrivilegedAgent);
  }
}
