package dev.ludus.agents.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LmCheckpointTest {

  @Test
  void aDirectoryWithoutAHeaderIsRefusedNamingTheFile(@TempDir Path dir) {
    String message = assertThrows(IllegalArgumentException.class, () -> LmCheckpoint.readHeader(dir)).getMessage();
    assertTrue(message.contains(dir.toString()) && message.contains(LmCheckpoint.SPEC_FILE), message);
  }

  @Test
  void aHeaderReadsBackItsArchitectureAndVersion(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve(LmCheckpoint.SPEC_FILE), """
        {"format": 1, "layers": 2, "width": 16, "heads": 2, "context": 32, "vocabSize": 40, "valueHead": true,
         "policyVersion": 9}
        """);
    LmCheckpoint.Header header = LmCheckpoint.readHeader(dir);
    assertEquals(new LanguageModel.Spec(2, 16, 2, 32, 40, true), header.spec());
    assertEquals(9, header.version());
    assertEquals(null, header.architecture(), "no architecture entry: the built-in transformer");
  }

  @Test
  void anArchitectureNoPluginReadsIsRefusedNamingIt(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve(LmCheckpoint.SPEC_FILE), """
        {"format": 1, "layers": 2, "width": 16, "heads": 2, "context": 32, "vocabSize": 40, "policyVersion": 0,
         "architecture": "no-such-architecture", "architectureConfig": {}}
        """);
    String message = assertThrows(IllegalArgumentException.class, () -> LmCheckpoint.readHeader(dir)).getMessage();
    assertTrue(message.contains("'no-such-architecture'") && message.contains("known:"), message);
  }

  @Test
  void aBuiltInCheckpointOrAnyOtherDirectoryKeepsNoTokenizerOfItsArchitecture(@TempDir Path dir) throws Exception {
    assertTrue(LmCheckpoint.tokenizer(dir).isEmpty(), "not a checkpoint");
    Files.writeString(dir.resolve(LmCheckpoint.SPEC_FILE), """
        {"format": 1, "layers": 2, "width": 16, "heads": 2, "context": 32, "vocabSize": 40, "policyVersion": 0}
        """);
    assertTrue(LmCheckpoint.tokenizer(dir).isEmpty(), "the built-in architecture keeps only tokenizer.json");
  }
}
