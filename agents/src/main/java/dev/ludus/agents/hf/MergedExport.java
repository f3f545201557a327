package dev.ludus.agents.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes an adapted decoder as a plain Hugging Face model directory (see {@link HfModels#exportMerged}). */
final class MergedExport {
  private MergedExport() {}

  static void write(HfDecoder decoder, HfArchitecture architecture, Path out) {
    LoraConfig lora = decoder.lora();
    NDManager root = decoder.namedParameters().values().iterator().next().getArray().getManager();
    try (NDManager scratch = root.newSubManager()) {
      Map<String, NDArray> tensors = new LinkedHashMap<>();
      for (Map.Entry<String, Parameter> p : decoder.namedParameters().entrySet()) {
        String name = p.getKey();
        if (name.contains(".lora_") || name.startsWith(HfDecoder.VALUE_HEAD)) {
          continue;
        }
        NDArray w = p.getValue().getArray().duplicate();
        w.attach(scratch);
        String module = name.endsWith(".weight") ? name.substring(0, name.length() - ".weight".length()) : null;
        Parameter a = module == null ? null : decoder.parameter(module + ".lora_A.weight");
        if (a != null) {
          NDArray update = decoder.parameter(module + ".lora_B.weight").getArray().matMul(a.getArray());
          update.attach(scratch);
          w = w.add(update.mul((float) lora.scale()));
        }
        tensors.put(name, w);
      }
      Files.createDirectories(out);
      new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out.resolve(HfModels.CONFIG).toFile(),
          architecture.configJson());
      SafeTensors.write(out.resolve(SafeTensors.SINGLE), tensors);
      for (String f : List.of(HfTokenizer.TOKENIZER, HfTokenizer.TOKENIZER_CONFIG, HfTokenizer.GENERATION_CONFIG,
          "chat_template.jinja")) {
        Path from = architecture.source().resolve(f);
        if (Files.isRegularFile(from)) {
          Files.copy(from, out.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot export the merged model to " + out + ": " + e.getMessage(), e);
    }
  }
}
