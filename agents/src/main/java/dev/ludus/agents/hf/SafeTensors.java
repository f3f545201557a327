package dev.ludus.agents.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ludus.api.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes {@code .safetensors} files through DJL's own codec ({@link NDList#decode} recognizes the format: an
 * 8-byte little-endian header length, a JSON header of names, dtypes, shapes and offsets, then the raw little-endian
 * tensors), and resolves a sharded model's {@code model.safetensors.index.json}. Stateless.
 */
final class SafeTensors {
  static final String SINGLE = "model.safetensors";
  static final String INDEX = "model.safetensors.index.json";

  private SafeTensors() {}

  /** The weight files of a model directory: its single file, or the shards its index names, in order. */
  static Set<Path> weightFiles(Path directory) {
    Path single = directory.resolve(SINGLE);
    if (Files.isRegularFile(single)) {
      return Set.of(single);
    }
    Path index = directory.resolve(INDEX);
    if (!Files.isRegularFile(index)) {
      throw new ConfigException("Hugging Face model directory " + directory + " has neither " + SINGLE + " nor "
          + INDEX + " (only safetensors weights are read)");
    }
    JsonNode map;
    try {
      map = new ObjectMapper().readTree(index.toFile()).path("weight_map");
    } catch (IOException e) {
      throw new ConfigException("cannot read " + index + ": " + e.getMessage(), e);
    }
    if (!map.isObject() || map.isEmpty()) {
      throw new ConfigException(index + " has no weight_map");
    }
    Set<Path> files = new LinkedHashSet<>();
    for (JsonNode shard : map) {
      Path f = directory.resolve(shard.asText());
      if (!Files.isRegularFile(f)) {
        throw new ConfigException(index + " names shard " + shard.asText() + ", which is missing from " + directory);
      }
      files.add(f);
    }
    return files;
  }

  /**
   * Every tensor of {@code file}, by name, as float32 on {@code manager} (bf16 and fp16 weights are widened).
   */
  static Map<String, NDArray> read(Path file, NDManager manager) {
    NDList list;
    try (InputStream in = Files.newInputStream(file)) {
      list = NDList.decode(manager, in);
    } catch (IOException | RuntimeException e) {
      throw new ConfigException("cannot read safetensors file " + file + ": " + e.getMessage(), e);
    }
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (NDArray a : list) {
      out.put(a.getName(), a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false));
    }
    return out;
  }

  /** Writes {@code tensors} (named by their keys) to {@code file} atomically (a temporary sibling renamed). */
  static void write(Path file, Map<String, NDArray> tensors) {
    NDList list = new NDList(tensors.size());
    tensors.forEach((name, array) -> {
      array.setName(name);
      list.add(array);
    });
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      try (OutputStream out = Files.newOutputStream(tmp)) {
        list.encode(out, NDList.Encoding.SAFETENSORS);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
