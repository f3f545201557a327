package dev.ludus.runner.cli;

import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.PluginContext;
import dev.ludus.api.Registry;
import dev.ludus.runner.config.Plugins;

/**
 * A benchmark's environment and agent with the plugin context they were made with. The benchmarks start
 * runtimes of their own, so the command's plugins share a standalone context (a Vert.x of its own only if a
 * plugin asks for one), closed after the agent.
 */
record BenchPlugged(PluginContext.Owned context, BoundEnvironment env, Plugins.ConfiguredAgent agent)
    implements AutoCloseable {
  static BenchPlugged of(Registry registry, String env, String envConfig, String agent) {
    PluginContext.Owned context = PluginContext.standalone(registry);
    try {
      BoundEnvironment bound = Plugins.environment(registry, env, envConfig).withContext(context).probe();
      return new BenchPlugged(context, bound, Plugins.agent(registry, agent, null, bound));
    } catch (RuntimeException e) {
      context.close();
      throw e;
    }
  }

  @Override
  public void close() {
    try {
      agent.close();
    } finally {
      context.close();
    }
  }
}
