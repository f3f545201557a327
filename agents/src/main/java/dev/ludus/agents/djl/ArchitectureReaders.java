package dev.ludus.agents.djl;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds the {@link Architecture.Reader} a checkpoint names through ServiceLoader. Stateless. */
final class ArchitectureReaders {
  private ArchitectureReaders() {}

  static Architecture read(String name, JsonNode description, Path directory) {
    List<String> known = new ArrayList<>();
    for (Architecture.Reader r : ServiceLoader.load(Architecture.Reader.class, LanguageModel.class.getClassLoader())) {
      if (r.name().equals(name)) {
        return r.read(description, directory);
      }
      known.add(r.name());
    }
    throw new IllegalArgumentException("checkpoint " + directory + " was saved by architecture '" + name
        + "', which no plugin on the class path reads (known: " + known + ")");
  }
}
