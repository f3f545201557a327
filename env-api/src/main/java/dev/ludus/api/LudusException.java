package dev.ludus.api;

/** The root of Ludus's exceptions. Subtypes say where the problem arose. */
public class LudusException extends RuntimeException {
  public LudusException(String message) {
    super(message);
  }

  public LudusException(String message, Throwable cause) {
    super(message, cause);
  }
}
