package dev.ludus.runner.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

/**
 * Option converters stricter than picocli's own, registered on the whole command tree: whole numbers in ASCII
 * digits only (picocli's {@code Integer.parseInt} also takes other scripts' digits, so {@code --episodes ５} would
 * pass as 5), and no empty paths ({@code --out ''} would otherwise mean the current directory). A refused value
 * is a parameter error: one line naming the option, exit code 2. Stateless.
 */
final class StrictConverters {
  private StrictConverters() {}

  static void register(CommandLine cmd) {
    cmd.registerConverter(Integer.class, StrictConverters::parseInt);
    cmd.registerConverter(Integer.TYPE, StrictConverters::parseInt);
    cmd.registerConverter(Long.class, StrictConverters::parseLong);
    cmd.registerConverter(Long.TYPE, StrictConverters::parseLong);
    cmd.registerConverter(Path.class, StrictConverters::path);
  }

  static Integer parseInt(String text) {
    String s = ascii(text);
    try {
      return Integer.valueOf(s);
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + text + "' is not a whole number between " + Integer.MIN_VALUE + " and "
          + Integer.MAX_VALUE);
    }
  }

  static Long parseLong(String text) {
    String s = ascii(text);
    try {
      return Long.valueOf(s);
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + text + "' is not a whole number between " + Long.MIN_VALUE + " and "
          + Long.MAX_VALUE);
    }
  }

  static Path path(String text) {
    if (text == null || text.isBlank()) {
      throw new TypeConversionException("an empty path is not allowed; name a file or directory (e.g. runs)");
    }
    try {
      return Path.of(text);
    } catch (InvalidPathException e) {
      throw new TypeConversionException("'" + text + "' is not a valid path: " + e.getReason());
    }
  }

  /** {@code text} if it is an optional sign and ASCII digits 0-9; else a conversion error saying so. */
  private static String ascii(String text) {
    String s = text == null ? "" : text.strip();
    if (!s.matches("[+-]?[0-9]+")) {
      throw new TypeConversionException("'" + text + "' is not a whole number written in the digits 0-9");
    }
    return s;
  }
}
