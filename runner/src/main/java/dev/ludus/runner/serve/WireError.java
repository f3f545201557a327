package dev.ludus.runner.serve;

import java.util.List;

/**
 * A request the server answers with an error: OpenEnv's {@code WSErrorCode} and a message naming what was wrong
 * and what is allowed; for {@code VALIDATION_ERROR}, the field errors too. Over HTTP a validation error is status
 * 422 with pydantic's {@code detail} list.
 */
final class WireError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** OpenEnv's error codes ({@code WSErrorCode}). */
  enum Code {
    INVALID_JSON, UNKNOWN_TYPE, VALIDATION_ERROR, EXECUTION_ERROR, CAPACITY_REACHED, FACTORY_ERROR, SESSION_ERROR
  }

  /** One field's error: where (a path of field names and indices) and what. */
  record FieldError(List<Object> loc, String msg, String type) {}

  final Code code;
  final List<FieldError> errors;

  WireError(Code code, String message) {
    this(code, message, List.of());
  }

  WireError(Code code, String message, List<FieldError> errors) {
    super(message, null, false, false);
    this.code = code;
    this.errors = List.copyOf(errors);
  }

  /** A validation error on one field. */
  static WireError invalid(String message, List<Object> loc, String type) {
    return new WireError(Code.VALIDATION_ERROR, message, List.of(new FieldError(loc, message, type)));
  }
}
