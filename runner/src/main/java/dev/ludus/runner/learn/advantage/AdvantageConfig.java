package dev.ludus.runner.learn.advantage;

/**
 * The settings of an advantage estimator: one record per estimator, each with documented defaults
 * ({@code defaults()}) that validates on construction.
 */
public sealed interface AdvantageConfig
    permits GrpoConfig, RlooConfig, ReinforcePlusPlusConfig, PpoGaeConfig, IgpoConfig {}
