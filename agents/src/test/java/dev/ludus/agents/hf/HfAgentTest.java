package dev.ludus.agents.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.agents.djl.DjlLmAgent;
import dev.ludus.agents.djl.DjlLmAgentProvider;
import dev.ludus.agents.djl.TrainablePolicy;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Message;
import dev.ludus.api.Task;
import dev.ludus.api.TokenTrace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code djl-lm} agent on {@code checkpoint: hf:DIR}: a tiny random model of Qwen3's shape and vocabulary with
 * Qwen3's real tokenizer and chat template. Its prompt is the template's rendering, generation stops at
 * {@code <|im_end|>} or the length limit, and the recorded log-probs are the policy's (recomputed by the learner's
 * interface).
 */
class HfAgentTest {
  @TempDir
  static Path dir;
  static Path model;

  @BeforeAll
  static void writeModel() throws Exception {
    Path tokenizer = Qwen3TokenizerFiles.directory();
    ObjectNode c = TinyHfModels.qwen3();
    c.put("vocab_size", Qwen3TokenizerFiles.MODEL_VOCAB);
    c.put("num_hidden_layers", 1);
    model = TinyHfModels.write(dir.resolve("tiny-qwen3"), c, false);
    for (String f : List.of("tokenizer.json", "tokenizer_config.json", "generation_config.json")) {
      Files.copy(tokenizer.resolve(f), model.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  static DjlLmAgentProvider.Config config(String checkpoint) {
    return DjlLmAgentProvider.Config.defaults().withCheckpoint(checkpoint).withMaxNewTokens(6)
        .withSampling(1.0, 0, 1.0);
  }

  @Test
  void anHfCheckpoint_repliesWithTheTemplatesPromptAndTheTokensLogProbsAsProduced() throws Exception {
    try (DjlLmAgent agent = (DjlLmAgent) new DjlLmAgentProvider().create(config("hf:" + model), null)) {
      List<Message> conversation = List.of(Message.system("You are terse."), Message.user("Say hi."));
      AgentResponse r = agent.act(new AgentRequest("e1", Task.generated("t", 3), 3, 0, conversation, List.of()))
          .toCompletableFuture().get(60, TimeUnit.SECONDS);
      TokenTrace trace = assertInstanceOf(AgentResponse.Reply.class, r).tokenTrace().orElseThrow();
      HfTokenizer tokenizer = (HfTokenizer) agent.tokenizer();
      assertArrayEquals(tokenizer.template().orElseThrow().render(conversation, List.of(), java.util.Map.of()),
          trace.promptIds(), "the prompt is the model's chat template");
      String prompt = tokenizer.template().orElseThrow().text(conversation, List.of(), true);
      assertTrue(prompt.endsWith("<|im_start|>assistant\n"), prompt);
      int[] out = trace.outputIds();
      assertTrue(out.length >= 1 && out.length <= 6, "between 1 and maxNewTokens tokens, was " + out.length);
      for (int i = 0; i < out.length - 1; i++) {
        assertTrue(out[i] != tokenizer.eosId(), "only the last token may end the turn");
      }
      TrainablePolicy policy = agent.trainable();
      float[] recomputed = policy.logProbs(List.of(trace.promptIds()), List.of(out), new double[] {1.0})[0];
      for (int i = 0; i < out.length; i++) {
        assertEquals(recomputed[i], trace.logProbs()[i], 1e-3, "log-prob " + i + " as the learner scores it");
        assertTrue(java.util.Arrays.stream(tokenizer.specialIds()).noneMatch(id -> id == out[0] && id
            != tokenizer.eosId()), "no special token is sampled");
      }
    }
  }

  @Test
  void anUnknownHfOption_isRefusedListingTheOptions() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> new DjlLmAgentProvider().create(config("hf:" + model + "?rank=4"), null));
    assertTrue(e.getMessage().contains("rank") && e.getMessage().contains("lora"), e.getMessage());
  }

  @Test
  void anUnknownSourcePrefix_isRefusedNamingTheKnownOnes() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> new DjlLmAgentProvider().create(config("onnx:some/model"), null));
    assertTrue(e.getMessage().contains("onnx:") && e.getMessage().contains("hf:"), e.getMessage());
  }
}
