package dev.ludus.environments.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.DatasetWriter;
import dev.ludus.api.EnvironmentProvider;
import dev.ludus.api.Registry;
import java.util.List;
import org.junit.jupiter.api.Test;

class SearchQaRegistrationTest {
  @Test
  void searchQaIsFoundByNameWithAnOracleADatasetWriterAndASecretGoldSignal() {
    EnvironmentProvider<?> p = Registry.load().environments().get("search-qa");
    assertEquals(SearchQaConfig.class, p.configType());
    assertTrue(p instanceof DatasetWriter<?> w && w.datasetFormats().equals(List.of("hotpotqa", "2wiki", "flashrag")));
    assertTrue(new SearchQaProvider().oracle(SearchQaConfig.defaults()).isPresent());
    assertTrue(p.signals().contains(SearchSignals.GOLD_RETRIEVED) && SearchSignals.GOLD_RETRIEVED.secret());
  }

  @Test
  void badConfigurationsNameTheFieldAndWhatIsAllowed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SearchQaConfig.defaults().withProtocol("xml"));
    assertTrue(e.getMessage().contains("protocol must be one of tags, tools"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SearchQaConfig.defaults().withData("hotpotqa", null, null));
    assertTrue(e.getMessage().contains("path"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> SearchQaConfig.defaults().withQuestionTypes(List.of("three-hop")));
    assertTrue(e.getMessage().contains("questionTypes") && e.getMessage().contains("bridge-comparison"), e.getMessage());
  }

  @Test
  void theEnvironmentNeedsTheRunsContextForItsSharedIndex() {
    SearchQaProvider p = new SearchQaProvider();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> p.bind(SearchQaConfig.defaults()).create());
    assertTrue(e.getMessage().length() > 10, e.getMessage());
  }
}
