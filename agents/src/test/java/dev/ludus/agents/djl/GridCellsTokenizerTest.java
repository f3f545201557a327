package dev.ludus.agents.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The byte-level BPE's grid cells ({@code bpe.gridCells}): every cell of a board row is one token whatever its
 * neighbours, the option is saved in {@code tokenizer.json} and read back (by Java and by the Hugging Face library)
 * to the same ids, and without it the tokenizer is what it was.
 */
class GridCellsTokenizerTest {
  private static final String CELLS = "#_OX*PS";

  /** Sokoban-like observations: a line of text, then a board of {@code size} rows drawn with {@link #CELLS}. */
  private static List<String> boards(int count, int size, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<String> out = new ArrayList<>();
    for (int b = 0; b < count; b++) {
      StringBuilder sb = new StringBuilder("You pushed a box left.\nBoxes on targets: 0 of 1. Turns left: "
          + rng.nextInt(30) + ".\n\n");
      for (int r = 0; r < size; r++) {
        for (int c = 0; c < size; c++) {
          boolean edge = r == 0 || c == 0 || r == size - 1 || c == size - 1;
          sb.append(edge ? '#' : "__________#OXPS*".charAt(rng.nextInt(16)));
        }
        sb.append('\n');
      }
      out.add(sb.toString());
    }
    return out;
  }

  private static List<String> rows(String board) {
    return Arrays.stream(board.split("\n")).filter(l -> !l.isEmpty() && l.chars().allMatch(c -> CELLS.indexOf(c) >= 0))
        .toList();
  }

  @Test
  void everyCellOfABoardRowIsOneTokenWhereverItStands() {
    List<String> corpus = boards(400, 6, 1);
    ByteLevelBpeTokenizer plain = ByteLevelBpeTokenizer.train(corpus, 512);
    ByteLevelBpeTokenizer cells = ByteLevelBpeTokenizer.train(corpus, 512, List.of(), CELLS);
    int plainMerged = 0;
    for (String board : boards(50, 6, 2)) {
      for (String row : rows(board)) {
        int[] ids = cells.encode(row + "\n");
        assertEquals(row.length() + 1, ids.length, "one token a cell, then the newline: " + row);
        for (int i = 0; i < row.length(); i++) {
          assertEquals(String.valueOf(row.charAt(i)), cells.decode(new int[] {ids[i]}), row);
          assertEquals(cells.encode(row.substring(i, i + 1))[0], ids[i], "the same cell, the same token: " + row);
        }
        plainMerged += plain.encode(row + "\n").length < row.length() + 1 ? 1 : 0;
      }
      assertEquals(board, cells.decode(cells.encode(board)));
    }
    assertTrue(plainMerged > 0, "without cells the BPE merges cells of some rows (else this test shows nothing)");
    assertTrue(cells.encode("You pushed a box left.").length < "You pushed a box left.".length(),
        "the text around the board is still merged");
  }

  @Test
  void aCellCharacterInsideAWordIsNotCutOut() {
    ByteLevelBpeTokenizer cells = ByteLevelBpeTokenizer.train(List.of("Push Push Push Sokoban Sokoban"), 300,
        List.of(), CELLS);
    assertEquals(1, cells.encode("Push").length, "'P' is a cell but the rest of the line is not cells");
    assertEquals(List.of("Push", " ", "#", "_", "P"), ByteLevel.pieces("Push #_P",
        java.util.regex.Pattern.compile(ByteLevel.cellRegex(CELLS))), "a line's trailing run of cells is cut");
  }

  @Test
  void theCellsAreSavedAndReadBackToTheSameIdsInJavaAndInTheHuggingFaceLibrary(@TempDir Path dir) throws Exception {
    List<String> corpus = boards(200, 6, 3);
    String awkward = "#_.[]^-\\&é"; // characters special in a regex class, and one beyond ASCII
    for (String set : List.of(CELLS, awkward)) {
      ByteLevelBpeTokenizer t = ByteLevelBpeTokenizer.train(corpus, 400, List.of("You pushed a box left."), set);
      Path file = dir.resolve(set.length() + "-tokenizer.json");
      t.save(file);
      JsonNode pre = TokenizerJson.JSON.readTree(t.toJson()).path("pre_tokenizer");
      assertEquals("Split", pre.path("pretokenizers").get(0).path("type").asText());
      List<String> texts = new ArrayList<>(boards(20, 6, 4));
      texts.add("x" + awkward + "\n" + awkward + "\n Push " + awkward);
      try (LmTokenizer back = LmTokenizer.read(file)) {
        ByteLevelBpeTokenizer read = assertInstanceOf(ByteLevelBpeTokenizer.class, back);
        assertEquals(set, read.gridCells());
        assertEquals(t.toJson(), read.toJson());
        for (String s : texts) {
          assertArrayEquals(t.encode(s), read.encode(s), s);
        }
      }
      try (LmTokenizer hf = TokenizerTest.huggingFaceOrSkip(file)) {
        assertInstanceOf(HuggingFaceLmTokenizer.class, hf);
        for (String s : texts) {
          assertArrayEquals(t.encode(s), hf.encode(s), "the Hugging Face library's ids of '" + s + "'");
          assertEquals(s, hf.decode(t.encode(s)));
        }
      }
    }
  }

  @Test
  void withoutCellsTheTokenizerIsTheSameAsBefore() throws Exception {
    List<String> corpus = boards(100, 6, 5);
    ByteLevelBpeTokenizer none = ByteLevelBpeTokenizer.train(corpus, 400, List.of(), null);
    assertEquals(ByteLevelBpeTokenizer.train(corpus, 400).toJson(), none.toJson());
    assertNull(none.gridCells());
    assertEquals("ByteLevel", TokenizerJson.JSON.readTree(none.toJson()).path("pre_tokenizer").path("type").asText());
  }

  @Test
  void badCellsAreRefusedNamingWhatIsWrong() {
    IllegalArgumentException space = assertThrows(IllegalArgumentException.class,
        () -> ByteLevelBpeTokenizer.train(List.of("a"), 300, List.of(), "# _"));
    assertTrue(space.getMessage().contains("white space") && space.getMessage().contains("U+0020"), space.getMessage());
    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
        () -> new DjlLmAgentProvider.Bpe(300, null, null, null, "#_#"));
    assertTrue(twice.getMessage().startsWith("bpe.gridCells") && twice.getMessage().contains("'#' twice"),
        twice.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ByteLevel.cellRegex(""));
  }
}
