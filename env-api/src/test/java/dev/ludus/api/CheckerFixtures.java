package dev.ludus.api;

import java.util.List;

/** What the checker tests share: providers of test environments without configuration, and reading a report. */
final class CheckerFixtures {
  private CheckerFixtures() {}

  /** A single-agent test provider: only its name, environments, signals and random agent vary. */
  interface TestProvider extends EnvironmentProvider<NoConfig> {
    @Override
    default String description() {
      return "test";
    }

    @Override
    default Class<NoConfig> configType() {
      return NoConfig.class;
    }

    @Override
    default NoConfig defaultConfig() {
      return NoConfig.INSTANCE;
    }
  }

  /** A multi-agent test provider, likewise. */
  interface TestMatchProvider extends MultiAgentEnvironmentProvider<NoConfig>, TestProvider {}

  /** The names of the checks {@code r} failed. */
  static List<String> failed(EnvChecker.Report r) {
    return r.checks().stream().filter(c -> !c.passed()).map(EnvChecker.Check::name).toList();
  }

  /** The detail of the check named {@code check}. */
  static String detail(EnvChecker.Report r, String check) {
    return r.checks().stream().filter(c -> c.name().equals(check)).findFirst().orElseThrow().detail();
  }
}
