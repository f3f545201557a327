package dev.ludus.environments.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.ConfigException;
import dev.ludus.api.DatasetWriter;
import dev.ludus.api.PluginContext;
import dev.ludus.environments.search.QaTask.Evidence;
import dev.ludus.environments.search.QaTask.Fact;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetFormatsTest {
  @TempDir Path dir;

  /** Two HotpotQA questions as the dataset ships them (trimmed): a bridge and a comparison. */
  static final String HOTPOT = """
      [{"_id": "5a8b57f25542995d1e6f1371",
        "answer": "yes",
        "question": "Were Scott Derrickson and Ed Wood of the same nationality?",
        "supporting_facts": [["Scott Derrickson", 0], ["Ed Wood", 0]],
        "context": [["Ed Wood (film)", ["Ed Wood is a 1994 American biographical period comedy-drama film.", " It stars Johnny Depp."]],
                    ["Scott Derrickson", ["Scott Derrickson (born July 16, 1966) is an American director.", " He lives in Los Angeles."]],
                    ["Ed Wood", ["Edward Davis Wood Jr. was an American filmmaker.", " He made low-budget films."]]],
        "type": "comparison", "level": "hard"},
       {"_id": "5a8c7595554299585d9e36b6",
        "answer": "Chief of Protocol",
        "question": "What government position was held by the woman who portrayed Corliss Archer in the film Kiss and Tell?",
        "supporting_facts": [["Kiss and Tell (1945 film)", 0], ["Shirley Temple", 1]],
        "context": [["Kiss and Tell (1945 film)", ["Kiss and Tell is a 1945 American comedy film starring Shirley Temple as Corliss Archer."]],
                    ["Shirley Temple", ["Shirley Temple Black was an American actress.", " She served as Chief of Protocol of the United States."]],
                    ["Ed Wood", ["Edward Davis Wood Jr. was an American filmmaker."]]],
        "type": "bridge", "level": "medium"}]
      """;

  @Test
  void readsAHandWrittenHotpotQaFileWithItsContextsAsTheCorpus() throws IOException {
    Path f = Files.writeString(dir.resolve("hotpot_dev_distractor.json"), HOTPOT);
    DatasetFormats.Loaded l = DatasetFormats.readHotpot(f, false);
    assertEquals(2, l.tasks().size());
    QaTask first = l.tasks().get(0);
    assertEquals("5a8b57f25542995d1e6f1371", first.id());
    assertEquals("comparison", first.type());
    assertEquals(List.of("yes"), first.turns().get(0).answers());
    assertEquals(List.of(new Fact("Scott Derrickson", 0), new Fact("Ed Wood", 0)), first.turns().get(0).supportingFacts());
    // every title once: "Ed Wood" appears in both questions' contexts
    assertEquals(List.of("Ed Wood (film)", "Scott Derrickson", "Ed Wood", "Kiss and Tell (1945 film)", "Shirley Temple"),
        l.corpus().stream().map(Passage::title).toList());
    assertEquals("She served as Chief of Protocol of the United States.", l.corpus().get(4).sentences().get(1));
  }

  @Test
  void readsAHandWritten2WikiFileWithEvidencesAndItsTypeNames() throws IOException {
    Path f = Files.writeString(dir.resolve("dev.json"), """
        [{"_id": "8813f87c0bdd11eba7f7acde48001122", "type": "bridge_comparison",
          "question": "Which film has the director born later, Life Hits or It's In The Air?",
          "context": [["Life Hits", ["Life Hits is a 2006 film directed by Christiano Romeo Arnaud."]],
                      ["It's In The Air", ["It's in the Air is a 1938 British comedy film directed by Anthony Kimmins."]],
                      ["Christiano Romeo Arnaud", ["Christiano Romeo Arnaud (born 1971) is a director."]],
                      ["Anthony Kimmins", ["Anthony Kimmins (10 November 1901 – 1964) was a director."]]],
          "supporting_facts": [["Life Hits", 0], ["It's In The Air", 0], ["Christiano Romeo Arnaud", 0], ["Anthony Kimmins", 0]],
          "evidences": [["Life Hits", "director", "Christiano Romeo Arnaud"], ["It's In The Air", "director", "Anthony Kimmins"],
                        ["Christiano Romeo Arnaud", "date of birth", "1971"], ["Anthony Kimmins", "date of birth", "10 November 1901"]],
          "answer": "Life Hits"}]
        """);
    QaTask t = DatasetFormats.readHotpot(f, true).tasks().get(0);
    assertEquals("bridge-comparison", t.type());
    assertEquals(new Evidence("Anthony Kimmins", "date of birth", "10 November 1901"), t.turns().get(0).evidences().get(3));
    assertEquals(4, t.turns().get(0).goldTitles().size());
  }

  @Test
  void readsHandWrittenFlashRagRowsWithACorpusAndGroupsConversationTurns() throws IOException {
    Path q = Files.writeString(dir.resolve("test.jsonl"), """
        {"id": "test_0", "question": "who got the first nobel prize in physics", "golden_answers": ["Wilhelm Conrad Röntgen", "Röntgen"]}
        {"id": "c1-0", "question": "Who wrote Hamlet?", "golden_answers": ["William Shakespeare"], "metadata": {"conversation_id": "c1", "turn": 0, "supporting_facts": [["Hamlet", 0]]}}
        {"id": "c1-1", "question": "When was he born?", "golden_answers": ["1564"], "metadata": {"conversation_id": "c1", "turn": 1, "rewrite": "When was William Shakespeare born?"}}
        """);
    Path c = Files.writeString(dir.resolve("corpus.jsonl"), """
        {"id": "0", "contents": "\\"Hamlet\\"\\nHamlet is a tragedy by William Shakespeare. It is set in Denmark."}
        {"id": "1", "contents": "\\"Wilhelm Röntgen\\"\\nWilhelm Conrad Röntgen received the first Nobel Prize in Physics."}
        """);
    DatasetFormats.Loaded l = DatasetFormats.readFlashRag(q, c);
    assertEquals(2, l.tasks().size());
    assertEquals(List.of("Wilhelm Conrad Röntgen", "Röntgen"), l.tasks().get(0).turns().get(0).answers());
    QaTask conv = l.tasks().get(1);
    assertTrue(conv.conversational());
    assertEquals("When was William Shakespeare born?", conv.turns().get(1).rewrite());
    assertEquals(List.of("Hamlet is a tragedy by William Shakespeare.", "It is set in Denmark."),
        l.corpus().get(0).sentences());
    assertEquals("Hamlet", l.corpus().get(0).title());
  }

  @Test
  void aBadRowIsAConfigErrorNamingTheFileLineAndField() throws IOException {
    Path q = Files.writeString(dir.resolve("bad.jsonl"), "{\"id\": \"x\", \"question\": \"q\"}\n");
    Path c = Files.writeString(dir.resolve("corpus.jsonl"), "");
    ConfigException e = assertThrows(ConfigException.class, () -> DatasetFormats.readFlashRag(q, c));
    assertTrue(e.getMessage().contains("bad.jsonl line 1") && e.getMessage().contains("golden_answers"), e.getMessage());
  }

  @Test
  void generatedDatasetsAreReadBackByEachLoaderWithTheSameQuestionsAndCorpus() throws IOException {
    SearchQaProvider provider = new SearchQaProvider();
    SearchQaConfig config = SearchQaConfig.defaults();
    List<DatasetWriter.WrittenFile> files = provider.writeDataset(config, new DatasetWriter.Options(40, 5), dir);
    assertEquals(List.of("hotpotqa", "2wiki", "flashrag", "corpus"), files.stream().map(DatasetWriter.WrittenFile::format).toList());
    QuestionGenerator gen = new QuestionGenerator(SearchData.generated(config.world()).world());
    List<QaTask> expected = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) {
      expected.add(gen.draw(config.questionTypes(), dev.ludus.api.Seeds.mix(5, i)));
    }
    DatasetFormats.Loaded flash = DatasetFormats.readFlashRag(dir.resolve("flashrag.jsonl"), dir.resolve("corpus.jsonl"));
    assertEquals(expected, flash.tasks());
    assertEquals(SearchData.generated(config.world()).corpus(), flash.corpus());
    List<QaTask> single = expected.stream().filter(t -> !t.conversational()).toList();
    DatasetFormats.Loaded wiki = DatasetFormats.readHotpot(dir.resolve("2wikimultihopqa.json"), true);
    assertEquals(single, wiki.tasks());
    DatasetFormats.Loaded hotpot = DatasetFormats.readHotpot(dir.resolve("hotpotqa.json"), false);
    assertEquals(single.size(), hotpot.tasks().size());
    for (int i = 0; i < single.size(); i++) {
      assertEquals(single.get(i).turns().get(0).supportingFacts(), hotpot.tasks().get(i).turns().get(0).supportingFacts());
      assertEquals(single.get(i).turns().get(0).answers(), hotpot.tasks().get(i).turns().get(0).answers());
      for (String title : single.get(i).turns().get(0).goldTitles()) {
        assertTrue(hotpot.corpus().stream().anyMatch(p -> p.title().equals(title)), title);
      }
    }
    // the same seed writes the same bytes
    Path again = Files.createDirectory(dir.resolve("again"));
    provider.writeDataset(config, new DatasetWriter.Options(40, 5), again);
    assertEquals(Files.readString(dir.resolve("hotpotqa.json")), Files.readString(again.resolve("hotpotqa.json")));
    assertEquals(Files.readString(dir.resolve("flashrag.jsonl")), Files.readString(again.resolve("flashrag.jsonl")));
  }

  @Test
  void theEnvironmentPlaysALoadedFileAndTheOracleSolvesIt() throws IOException {
    Path f = Files.writeString(dir.resolve("hotpot.json"), HOTPOT);
    SearchQaConfig config = SearchQaConfig.defaults().withData("hotpotqa", f.toString(), null);
    try (PluginContext.Owned context = PluginContext.standalone()) {
      var env = Episodes.bind(config, context);
      for (int i = 0; i < 2; i++) {
        var task = env.tasks().task(i, 0);
        Episodes.Played p = Episodes.play(env, env.oracle().orElseThrow(), task, 0);
        assertTrue(p.success(), task.id());
        assertTrue(p.steps().get(0).signals().get(SearchSignals.GOLD_RETRIEVED).orElseThrow(), task.id());
      }
      assertEquals("search-qa/5a8b57f25542995d1e6f1371", env.tasks().task(0, 0).id());
    }
  }
}
