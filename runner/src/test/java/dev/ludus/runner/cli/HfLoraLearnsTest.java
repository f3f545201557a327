package dev.ludus.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ludus.runner.cli.CliRun.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A LoRA policy of the tiny Hugging Face-layout model (examples/hf/tiny-qwen3) learns guess-number on 1 to 4 through
 * the real learner from the CLI: the warm start's imitation loss falls to a peaked distribution (the base stays
 * frozen, only the adapters train), held-out greedy success rises above its value before training, and the RL
 * iteration that follows samples mostly winning episodes. Before the tiny model's final norm had a pretrained-like
 * gain, the loss stayed above 4 nats and sampled success near chance, whatever the adapters did.
 */
class HfLoraLearnsTest {
  private static final Pattern WARM_LOSS = Pattern.compile("warm start:.*?, loss ([0-9.]+) -> ([0-9.]+)");

  @Test
  void aLoraPolicyOfTheTinyHfModel_learnsGuessNumber_lossFallsAndHeldOutSuccessRises(@TempDir Path out)
      throws Exception {
    Path root = Path.of("..").toAbsolutePath().normalize();
    String example = Files.readString(root.resolve("examples/hf/guess-number-lora.yaml"))
        .replace("hf:examples/hf/tiny-qwen3", "hf:" + root.resolve("examples/hf/tiny-qwen3"));
    Path config = Files.writeString(out.resolve("hf.yaml"), example
        + "envConfig: {low: 1, high: 4, maxTurns: 3}\nwarmStartSteps: 40\nwarmStartEpisodes: 8\n"
        + "evalEpisodes: 8\ntasksPerIteration: 4\ngroupSize: 4\nepochs: 1\nminiBatches: 1\n");
    String[] args = {"train", "--config", config.toString(), "--iterations", "1", "--no-progress",
        "--out", out.resolve("runs").toString()};
    Outcome o = CliRun.main(args);
    assertEquals(0, o.code(), o.out() + o.err());

    Matcher loss = WARM_LOSS.matcher(o.out());
    assertTrue(loss.find(), o.out());
    double first = Double.parseDouble(loss.group(1));
    double last = Double.parseDouble(loss.group(2));
    assertTrue(last < first / 4 && last < 1.0, "the imitation loss falls to under a nat: " + loss.group());

    Path run = runDirectory(out.resolve("runs"));
    ObjectMapper json = new ObjectMapper();
    Map<String, Double> success = new HashMap<>();
    for (String line : Files.readAllLines(run.resolve("evaluations.jsonl"))) {
      JsonNode e = json.readTree(line);
      success.put(e.path("evaluation").asText(), e.path("success").asDouble());
    }
    assertTrue(success.keySet().containsAll(List.of("before", "after-warm-start", "after")), success.toString());
    assertTrue(success.get("after-warm-start") > success.get("before"), "held-out success rises: " + success);
    assertTrue(success.get("after") > success.get("before"), "and stays above its start after RL: " + success);

    JsonNode iteration = json.readTree(Files.readAllLines(run.resolve("metrics.jsonl")).get(0));
    assertTrue(iteration.path("success").asDouble() >= 0.5,
        "the RL iteration samples from a peaked policy: " + iteration.path("success"));
    assertTrue(iteration.path("entropy").asDouble() < 1.0, "entropy " + iteration.path("entropy"));
  }

  private static Path runDirectory(Path runs) throws Exception {
    try (Stream<Path> dirs = Files.list(runs)) {
      return dirs.filter(Files::isDirectory).findFirst().orElseThrow();
    }
  }
}
