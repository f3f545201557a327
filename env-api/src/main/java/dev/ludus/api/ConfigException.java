package dev.ludus.api;

/**
 * Bad configuration: an unknown name, a malformed or out-of-range field. The message names what was wrong
 * and what is allowed, in one line a user can act on.
 */
public class ConfigException extends LudusException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
