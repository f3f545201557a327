package dev.ludus.agents.hf;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code reference_forward.py}, an independent numpy implementation of the supported decoders, and returns its
 * logits. Skips the calling test (a JUnit assumption naming the missing package) when python3 or numpy is absent.
 */
final class NumpyReference {
  private static final ObjectMapper JSON = new ObjectMapper();

  private NumpyReference() {}

  private static volatile String python;

  /** The first of {@code python3} (on the PATH) and {@code /usr/bin/python3} that has numpy; skips the test if none. */
  static String assumeAvailable() {
    if (python == null) {
      for (String candidate : List.of("python3", "/usr/bin/python3")) {
        if (run(List.of(candidate, "-c", "import numpy")) == 0) {
          python = candidate;
          break;
        }
      }
    }
    assumeTrue(python != null,
        "python3 with numpy is missing (Debian package python3-numpy); the numerics reference cannot run");
    return python;
  }

  /** [sequence][position][token] logits of each sequence of {@code modelDir}'s model, computed in float64. */
  static double[][][] logits(Path modelDir, List<int[]> sequences) throws IOException {
    String python = assumeAvailable();
    Path work = Files.createTempDirectory(modelDir.getParent(), "numpy");
    Path script = work.resolve("reference_forward.py");
    try (InputStream in = NumpyReference.class.getResourceAsStream("reference_forward.py")) {
      Files.copy(in, script);
    }
    Path request = work.resolve("request.json");
    Path response = work.resolve("response.json");
    JSON.writeValue(request.toFile(), Map.of("sequences", sequences));
    int code = run(List.of(python, script.toString(), modelDir.toString(), request.toString(), response.toString()));
    if (code != 0) {
      throw new AssertionError("reference_forward.py failed with exit code " + code);
    }
    return JSON.treeToValue(JSON.readTree(response.toFile()).path("logits"), double[][][].class);
  }

  private static int run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      if (p.exitValue() != 0 && !command.get(1).equals("-c")) {
        System.err.println(out);
      }
      return p.exitValue();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

}
