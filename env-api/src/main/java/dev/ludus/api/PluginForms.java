package dev.ludus.api;

/** The error a provider's plain {@code create} gives when the provider implements the context form only. */
final class PluginForms {
  private PluginForms() {}

  static UnsupportedOperationException needsContext(String kind, Plugin<?> provider) {
    return new UnsupportedOperationException(kind + " '" + provider.name() + "' (" + provider.getClass().getName()
        + ") implements create(config, ..., PluginContext) only: call that form with a context"
        + (kind.equals("environment") ? ", or bind(config).create()" : "")
        + " (or the provider implements neither create form)");
  }
}
