package dev.ludus.environments.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ludus.api.AnyEnvironment;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.ConfigBinder;
import dev.ludus.api.ConfigException;
import dev.ludus.api.EnvChecker;
import dev.ludus.api.PluginContext;
import dev.ludus.api.StepResult;
import dev.ludus.api.Task;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Dense and hybrid retrieval through the environment, with the test class path's {@link HashedTrigramEncoder}. */
class SearchQaRetrievalTest {
  PluginContext.Owned context;

  @BeforeEach
  void open() {
    context = PluginContext.standalone();
  }

  @AfterEach
  void close() {
    context.close();
  }

  static SearchQaConfig config(String retrieval, String protocol) {
    return SearchQaConfig.defaults().withProtocol(protocol)
        .withRetrieval(retrieval, retrieval.equals("bm25") ? null : HashedTrigramEncoder.NAME);
  }

  @Test
  void retrievalIsBm25UnlessAConfigurationSaysOtherwise() throws Exception {
    assertEquals("bm25", SearchQaConfig.defaults().retrieval());
    SearchQaConfig c = ConfigBinder.bind(new SearchQaProvider(),
        new ObjectMapper().readTree("{\"retrieval\": \"hybrid\", \"encoder\": \"hashed-trigrams\"}"));
    assertEquals("hybrid", c.retrieval());
    assertEquals("hashed-trigrams", c.encoder());
    assertEquals("bm25", ConfigBinder.bind(new SearchQaProvider(), new ObjectMapper().readTree("{\"topK\": 5}"))
        .retrieval());
  }

  @Test
  void aBadRetrievalOrAMissingEncoderIsRefusedSayingWhatIsAllowed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SearchQaConfig.defaults().withRetrieval("vector", "hashed-trigrams"));
    assertTrue(e.getMessage().contains("retrieval must be one of bm25, dense, hybrid, was 'vector'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SearchQaConfig.defaults().withRetrieval("dense", null));
    assertTrue(e.getMessage().contains("encoder must name a passage encoder when retrieval is dense"), e.getMessage());
  }

  @Test
  void anUnknownEncoderIsAConfigErrorListingTheKnownOnes() {
    BoundEnvironment env = Episodes.bind(SearchQaConfig.defaults().withRetrieval("hybrid", "minilm"), context);
    ConfigException e = assertThrows(ConfigException.class, env::create);
    assertTrue(e.getMessage().contains("unknown encoder 'minilm'; known encoders: hashed-trigrams"), e.getMessage());
  }

  @Test
  void theCorpusIsEncodedOncePerRunAndSharedByEveryEnvironment() {
    int corpus = SearchData.of(SearchQaConfig.defaults()).corpus().size();
    int before = HashedTrigramEncoder.ENCODED.get();
    BoundEnvironment dense = Episodes.bind(config("dense", "tags"), context);
    BoundEnvironment hybrid = Episodes.bind(config("hybrid", "tools"), context);
    List<AnyEnvironment> made = List.of(dense.create(), dense.create(), hybrid.create());
    assertEquals(corpus, HashedTrigramEncoder.ENCODED.get() - before);
    made.forEach(AnyEnvironment::close);
  }

  /** The signals every retriever publishes, and what they say, are the same; only the passages found differ. */
  @ParameterizedTest
  @ValueSource(strings = {"tags", "tools"})
  void theSignalsBehaveTheSameWhateverTheRetriever(String protocol) {
    BoundEnvironment bm25 = Episodes.bind(config("bm25", protocol), context);
    for (String retrieval : List.of("dense", "hybrid")) {
      BoundEnvironment env = Episodes.bind(config(retrieval, protocol), context);
      for (int i = 0; i < 25; i++) {
        Task task = env.tasks().task(i, 5);
        Episodes.Played p = Episodes.play(env, env.oracle().orElseThrow(), task, i);
        Episodes.Played reference = Episodes.play(bm25, bm25.oracle().orElseThrow(), task, i);
        assertTrue(p.success(), retrieval + " " + task.id());
        assertEquals(reference.steps().size(), p.steps().size(), retrieval + " " + task.id());
        QaTask qa = SearchData.parse(task.fields().get("qa"));
        int question = 0;
        Set<String> found = new HashSet<>();
        for (int s = 0; s < p.steps().size(); s++) {
          StepResult step = p.steps().get(s);
          assertEquals(reference.steps().get(s).signals().names(), step.signals().names(), retrieval + " step " + s);
          QaTask.Turn turn = qa.turns().get(question);
          if (step.signals().has(SearchSignals.RETRIEVED)) {
            List<String> titles = step.signals().get(SearchSignals.RETRIEVED).orElseThrow();
            assertEquals(3, titles.size(), "topK passages");
            found.addAll(titles);
            assertEquals(titles.stream().anyMatch(turn.goldTitles()::contains),
                step.signals().get(SearchSignals.GOLD_RETRIEVED).orElseThrow());
            assertEquals((int) turn.supportingFacts().stream().filter(f -> found.contains(f.title())).count(),
                step.signals().get(SearchSignals.SUPPORTING_FACTS_FOUND).orElseThrow());
          } else {
            question++;
          }
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dense", "hybrid"})
  void passesTheEnvironmentContract(String retrieval) {
    EnvChecker.check(Episodes.bind(config(retrieval, "tags"), context)).assertPassed();
  }
}
