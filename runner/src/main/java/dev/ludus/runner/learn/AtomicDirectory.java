package dev.ludus.runner.learn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Writes a directory so that its final name only ever shows a complete one. The content goes into a hidden
 * sibling {@code .<name>.tmp-<random>}, every file and the directory are flushed to disk, and the directory is
 * renamed to {@code <name>} with an atomic move. When {@code <name>} exists already it is first renamed to
 * {@code .<name>.old-<random>} and deleted after the new one is in place; a crash between those two renames
 * leaves no {@code <name>} at all (never a partial one), and the complete new checkpoint under its
 * {@code .tmp-} name.
 *
 * <p>Leftovers of an interrupted write ({@code .<name>.tmp-*}, {@code .<name>.old-*}) are never read as
 * checkpoints and are deleted by the next write to the same name. One writer per name at a time.
 */
final class AtomicDirectory {
  /** Writes the content of a directory that exists and is empty. */
  @FunctionalInterface
  interface Writer {
    void write(Path directory) throws IOException;
  }

  private AtomicDirectory() {}

  static void write(Path target, Writer writer) {
    Path finalPath = target.toAbsolutePath().normalize();
    Path parent = finalPath.getParent();
    String name = finalPath.getFileName().toString();
    Path temporary = parent.resolve(tmpPrefix(name) + UUID.randomUUID());
    try {
      Files.createDirectories(parent);
      deleteLeftovers(finalPath);
      Files.createDirectory(temporary);
      writer.write(temporary);
      syncTree(temporary);
      if (Files.exists(finalPath)) {
        Path old = parent.resolve(oldPrefix(name) + UUID.randomUUID());
        move(finalPath, old);
        move(temporary, finalPath);
        deleteTree(old);
      } else {
        move(temporary, finalPath);
      }
      syncDirectory(parent);
    } catch (IOException e) {
      deleteQuietly(temporary);
      throw new UncheckedIOException("cannot write " + finalPath + ": " + e.getMessage(), e);
    } catch (RuntimeException | Error e) {
      deleteQuietly(temporary);
      throw e;
    }
  }

  /** Whether {@code path} is the leftover of an interrupted write, not a checkpoint. */
  static boolean isLeftover(Path path) {
    String n = path.getFileName().toString();
    return n.startsWith(".") && (n.contains(".tmp-") || n.contains(".old-"));
  }

  /** Deletes the leftovers of interrupted writes of {@code target}; returns how many it deleted. */
  static int deleteLeftovers(Path target) throws IOException {
    Path finalPath = target.toAbsolutePath().normalize();
    Path parent = finalPath.getParent();
    if (!Files.isDirectory(parent)) {
      return 0;
    }
    String name = finalPath.getFileName().toString();
    List<Path> leftovers = new ArrayList<>();
    try (DirectoryStream<Path> siblings = Files.newDirectoryStream(parent)) {
      for (Path p : siblings) {
        String n = p.getFileName().toString();
        if (n.startsWith(tmpPrefix(name)) || n.startsWith(oldPrefix(name))) {
          leftovers.add(p);
        }
      }
    }
    for (Path p : leftovers) {
      deleteTree(p);
    }
    return leftovers.size();
  }

  static String tmpPrefix(String name) {
    return "." + name + ".tmp-";
  }

  static String oldPrefix(String name) {
    return "." + name + ".old-";
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the file system cannot rename " + from + " atomically: " + e.getMessage(), e);
    }
  }

  private static void syncTree(Path root) throws IOException {
    List<Path> all;
    try (Stream<Path> walk = Files.walk(root)) {
      all = walk.toList();
    }
    for (Path p : all) {
      if (Files.isRegularFile(p)) {
        try (FileChannel c = FileChannel.open(p, StandardOpenOption.WRITE)) {
          c.force(true);
        }
      } else {
        syncDirectory(p);
      }
    }
  }

  /** Flushes a directory's entries; some platforms cannot open a directory, which is then skipped. */
  private static void syncDirectory(Path directory) {
    try (FileChannel c = FileChannel.open(directory, StandardOpenOption.READ)) {
      c.force(true);
    } catch (IOException e) {
      // not supported here (e.g. Windows); the rename is still atomic
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    List<Path> all;
    try (Stream<Path> walk = Files.walk(root)) {
      all = walk.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path p : all) {
      Files.deleteIfExists(p);
    }
  }

  private static void deleteQuietly(Path root) {
    try {
      deleteTree(root);
    } catch (IOException e) {
      // the next write of this name deletes it
    }
  }
}
