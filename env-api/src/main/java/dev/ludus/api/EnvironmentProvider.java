package dev.ludus.api;

import java.util.Optional;
import java.util.Set;

/**
 * Registers an environment under a name. Stateless and thread-safe.
 *
 * <p>Implement one of the two {@code create} forms: {@link #create(Object)} when the environment needs
 * nothing from the runtime, {@link #create(Object, PluginContext)} when it does (Vert.x, worker threads,
 * a simulated user by name, a resource shared by the run). The runtime always calls the context form.
 *
 * @param <C> the environment's configuration record
 */
public interface EnvironmentProvider<C> extends Plugin<C> {
  /**
   * A new environment instance, not yet reset. The caller closes it. A provider that implements the
   * context form instead leaves this one alone, and then it throws {@link UnsupportedOperationException}
   * saying to call the context form (or {@link #bind}{@code (config).create()}).
   */
  default AnyEnvironment create(C config) {
    throw PluginForms.needsContext("environment", this);
  }

  /**
   * A new environment instance made with the run's {@code context}, not yet reset. The caller closes it.
   * Called on an event loop during a run (once before it, on the command's thread): build what is slow to
   * build once for the run with {@link PluginContext#shared}. By default the plain form.
   */
  default AnyEnvironment create(C config, PluginContext context) {
    return create(config);
  }

  /** The tasks to play; by default generated from seeds. */
  default TaskSource tasks(C config) {
    return TaskSource.generated(name());
  }

  /** Every signal this environment may publish. */
  Set<SignalKey<?>> signals();

  /**
   * An agent that solves the tasks (for tests and demonstrations), if the environment has one. It is the one agent
   * the runtime gives the whole task ({@link BoundEnvironment#oracle()} hands it out as a {@link PrivilegedAgent}).
   */
  default Optional<Agent> oracle(C config) {
    return Optional.empty();
  }

  /**
   * An agent that acts uniformly at random within the environment's action grammar. It is not privileged: its
   * requests carry the task {@link Task#withheld() withheld}.
   */
  Agent randomAgent(C config);

  /**
   * Whether the synchronous environment's steps may block or take long (I/O, heavy compute), so that the
   * runtime runs them on worker threads instead of an event loop.
   */
  default boolean blocking(C config) {
    return false;
  }

  /**
   * Whether each observation shows everything the agent needs to act from then on (the whole current state, e.g. a
   * board seen whole), so that it supersedes every earlier observation and a policy may read the latest alone
   * ({@code ludus train}'s recipe then gives its policy a history window of one observation). False by default: what
   * came before may matter (feedback on earlier guesses, a dialogue).
   */
  default boolean observationsSupersede(C config) {
    return false;
  }

  /**
   * The characters the environment draws a board's cells with, one character a cell and one board row a line (e.g.
   * sokoban's {@code #_OX*PS}), or empty when it draws no board. {@code ludus train}'s recipe gives them to the byte-level
   * BPE it trains ({@code model.bpe.gridCells}), so each cell of a row is one token whatever its neighbours. Empty by
   * default: the tokenizer is then the same as without the option.
   */
  default String gridCells(C config) {
    return "";
  }

  /**
   * Whether the {@link #oracle} can act from any state an episode reaches, whoever played the turns before: it reads
   * the state from the request (the task and the conversation so far, e.g. replaying the agent's earlier messages),
   * not from memory of its own earlier answers. Then a trainer may ask it what it would do at the states its policy
   * reaches (DAgger's on-policy labels). False by default.
   */
  default boolean oracleActsFromAnyState(C config) {
    return false;
  }

  /**
   * The configuration whose tasks held-out evaluations play, where {@code config}'s tasks come from a finite pool
   * that held-out seeds would draw from again: the same world's questions that {@code config} never plays (its dev
   * split, as a dataset's train and dev files are). Empty by default: held-out seeds alone give held-out tasks (tasks
   * generated from their seed). {@code ludus train} evaluates on it when present.
   */
  default Optional<C> heldOut(C config) {
    return Optional.empty();
  }

  /**
   * The configuration whose tasks model selection plays (a trainer's validation split), where {@code config}'s tasks
   * come from a finite pool: questions of the same world drawn as the {@link #heldOut} ones are (questions the policy
   * never trains on), which neither {@code config} nor {@link #heldOut} plays, so that validation sees a loss only
   * unseen tasks show and the held-out evaluation stays out of the choice. Its episodes that open with the same
   * observation play the same task (a pool's question, which several seeds may draw), and model selection counts each
   * such task once. Empty by default: validation then plays {@code config} on seeds of its own, as it does for tasks
   * generated from their seed. {@code ludus train} validates on it when present.
   */
  default Optional<C> validation(C config) {
    return Optional.empty();
  }

  /**
   * This provider with its configuration fixed, creating instances with the {@link PluginContext#minimal()
   * minimal context} until given another ({@link BoundEnvironment#withContext}); the runtime gives its own.
   */
  default BoundEnvironment bind(C config) {
    return BoundEnvironment.of(this, config);
  }
}
