package dev.ludus.api;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * An optional ability of an {@link EnvironmentProvider}: writing its generated tasks as a dataset in the file
 * formats its field uses (HotpotQA JSON, BFCL, Spider, ...), so that the same tasks train a Python trainer too,
 * and the environment's own loaders read them back. {@code ludus data generate NAME --out DIR} calls it.
 *
 * <p>Writing is deterministic: the same configuration and options give byte-identical files. Stateless and
 * thread-safe, like the provider.
 *
 * @param <C> the environment's configuration record
 */
public interface DatasetWriter<C> {
  /**
   * What to write.
   *
   * @param count how many tasks (questions, problems, levels); at least 1
   * @param seed the generator seed
   */
  record Options(int count, long seed) {
    public Options {
      if (count < 1) {
        throw new ConfigException("count must be at least 1, was " + count);
      }
    }
  }

  /** One file written, with the format it is in (e.g. {@code hotpotqa}, {@code bfcl}, {@code spider}). */
  record WrittenFile(Path path, String format, String description) {
    public WrittenFile {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(format, "format");
      description = description == null ? "" : description;
    }
  }

  /** The formats this environment writes, named as its loaders name them. */
  List<String> datasetFormats();

  /**
   * Writes {@code options.count()} generated tasks into {@code directory} (which exists and is empty) and
   * returns what it wrote, in order.
   *
   * @throws IOException if a file cannot be written
   */
  List<WrittenFile> writeDataset(C config, Options options, Path directory) throws IOException;
}
