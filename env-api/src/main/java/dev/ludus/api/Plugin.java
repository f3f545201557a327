package dev.ludus.api;

/**
 * Something registered by name: an environment, an agent backend, a simulated user or a reward shaper.
 * Found through {@link java.util.ServiceLoader} (list the class in {@code META-INF/services/} under the
 * provider interface's name); nothing is found by scanning the class path.
 *
 * <p>The configuration is a record of type {@link #configType()}; the runner reads it from YAML or JSON
 * with Jackson, starting from {@link #defaultConfig()}. Records validate in their constructors and throw
 * {@link IllegalArgumentException} naming the field, the value and what is allowed. Providers are
 * stateless and thread-safe.
 *
 * @param <C> the configuration record
 */
public interface Plugin<C> {
  /** The stable kebab-case name users write, e.g. {@code guess-number}. */
  String name();

  /** One line saying what it is. */
  String description();

  Class<C> configType();

  C defaultConfig();
}
