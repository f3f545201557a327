package dev.ludus.runner.oni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.openai.mock.MockOpenAiServer;
import dev.ludus.agents.openai.mock.MockReply;
import dev.ludus.agents.openai.mock.RecordedRequest;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.GroupShaper;
import dev.ludus.api.Message;
import dev.ludus.api.PluginContext;
import dev.ludus.api.Registry;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.Signals;
import dev.ludus.api.Task;
import dev.ludus.api.Turn;
import dev.ludus.api.chat.ChatEndpoint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The laws of ONI's three shapers against the mock OpenAI server as the annotator, which labels a message 1 when it
 * has more words of progress than of its absence, and prefers the message with more.
 */
class OniShapersTest {
  static final List<String> GOOD = List.of("found", "key", "opened", "door", "gold", "treasure", "stairs", "lit");
  static final List<String> BAD = List.of("wall", "nothing", "hungry", "dark", "locked", "trap", "stuck", "dust");
  static final List<String> NEUTRAL = List.of("you", "the", "a", "see", "here", "now", "there", "it");

  MockOpenAiServer server;
  PluginContext.Owned context;
  final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();

  static int progress(String message) {
    int s = 0;
    for (String w : message.split(" ")) {
      s += GOOD.contains(w) ? 1 : BAD.contains(w) ? -1 : 0;
    }
    return s;
  }

  static String between(String text, String open, String close) {
    int from = text.indexOf(open) + open.length();
    return text.substring(from, text.indexOf(close, from)).strip();
  }

  MockReply answer(RecordedRequest r) {
    var messages = r.json().path("messages");
    String prompt = messages.get(messages.size() - 1).path("content").asText();
    if (prompt.contains("<message 1>")) {
      int a = progress(between(prompt, "<message 1>", "</message 1>"));
      int b = progress(between(prompt, "<message 2>", "</message 2>"));
      return MockReply.text(a > b ? "1" : a < b ? "2" : "0");
    }
    String m = between(prompt, "<message>", "</message>");
    asked.computeIfAbsent(m, k -> new AtomicInteger()).incrementAndGet();
    return MockReply.text(progress(m) > 0 ? "1" : "0");
  }

  @BeforeEach
  void start() {
    server = MockOpenAiServer.builder().responder(this::answer).start();
    ChatEndpoint annotator = ChatEndpoint.builder().baseUrl(server.baseUrl()).model("m").apiKeyEnv(null).cacheSize(0)
        .build();
    context = PluginContext.standalone(Registry.load(), Map.of("annotator", annotator));
  }

  @AfterEach
  void stop() {
    context.close();
    server.close();
  }

  /** Distinct messages of 4 words of progress or of its absence (alternately) and 2 neutral ones. */
  static List<String> messages(Random r, int n, Set<String> avoid) {
    Set<String> out = new LinkedHashSet<>();
    while (out.size() < n) {
      List<String> words = new ArrayList<>();
      List<String> side = out.size() % 2 == 0 ? GOOD : BAD;
      List<String> other = side == GOOD ? BAD : GOOD;
      for (int i = 0; i < 3; i++) {
        words.add(side.get(r.nextInt(side.size())));
      }
      words.add((r.nextBoolean() ? side : other).get(r.nextInt(8)));
      words.add(NEUTRAL.get(r.nextInt(8)));
      words.add(NEUTRAL.get(r.nextInt(8)));
      Collections.shuffle(words, r);
      String m = String.join(" ", words);
      if (!avoid.contains(m)) {
        out.add(m);
      }
    }
    return new ArrayList<>(out);
  }

  static Episode episode(String id, List<String> observations) {
    List<Turn> turns = new ArrayList<>();
    for (int t = 0; t < observations.size(); t++) {
      turns.add(new Turn(t, Message.assistant("go " + t), null, List.of(Message.user(observations.get(t))), 0,
          t == observations.size() - 1, false, Signals.empty(), 0, 0));
    }
    return new Episode(Episode.SCHEMA, id, "guess-number", "test", new Task(id, 1, Map.of()), 1,
        EpisodeStatus.COMPLETED, null, false, 0, List.of(Message.user("play")), List.of(), Signals.empty(), turns,
        List.of(), 0, 0);
  }

  /** The messages as a group of episodes of up to 10 turns each. */
  static List<Episode> group(List<String> messages) {
    List<Episode> g = new ArrayList<>();
    for (int i = 0; i < messages.size(); i += 10) {
      g.add(episode("e" + i, messages.subList(i, Math.min(i + 10, messages.size()))));
    }
    return g;
  }

  static void await(BooleanSupplier done, String what) throws InterruptedException {
    long end = System.nanoTime() + 120_000_000_000L;
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("gave up waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void retrievalScoresASeenMessageWithTheLlmsLabelAndAsksOncePerMessage() throws Exception {
    RewardShaper shaper = new OnlineClsShaperProvider().create(
        new OnlineClsShaperProvider.Config(null, null, -1, 0), context);
    String good = "you found the key";
    String bad = "a wall here";
    Episode ep = episode("a", List.of(good, bad, good));
    List<RewardContribution> first = shaper.shape(ep);
    assertEquals(List.of(-1.0, -1.0, -1.0), first.stream().map(RewardContribution::value).toList(),
        "unseen messages score the default while they wait for a label");
    await(() -> asked.size() == 2 && OnlineClsShaperProvider.table(context, "annotator").size() == 2, "two labels");
    for (int i = 0; i < 3; i++) {
      assertEquals(List.of(1.0, 0.0, 1.0), shaper.shape(ep).stream().map(RewardContribution::value).toList());
    }
    assertEquals(1, asked.get(good).get(), "asked once about a message seen four times");
    assertEquals(1, asked.get(bad).get());
    assertEquals(2, OnlineClsShaperProvider.table(context, "annotator").requests());
  }

  @Test
  void theClassifiersAccuracyOnHeldOutMessagesRisesAboveChanceAfterOnlineUpdates() throws Exception {
    heldOutAccuracyAfterOnlineUpdates(new OnlineClsRewardModelShaperProvider.Config(null, null, -1, 8, 32, 0.01, 8,
        256, 3));
  }

  @Test
  void theByteLevelCnnClassifiersAccuracyOnHeldOutMessagesRisesAboveChanceAfterOnlineUpdates() throws Exception {
    heldOutAccuracyAfterOnlineUpdates(new OnlineClsRewardModelShaperProvider.Config(null, null, -1, 8, 32, 0.01, 24,
        256, 3, "char-cnn"));
  }

  void heldOutAccuracyAfterOnlineUpdates(OnlineClsRewardModelShaperProvider.Config config) throws Exception {
    GroupShaper shaper = (GroupShaper) new OnlineClsRewardModelShaperProvider().create(config, context);
    Random r = new Random(1);
    List<String> train = messages(r, 200, Set.of());
    List<String> heldOut = messages(r, 100, new LinkedHashSet<>(train));
    List<List<RewardContribution>> before = shaper.shapeGroup(group(train)).toCompletableFuture().get();
    assertTrue(before.stream().flatMap(List::stream).allMatch(c -> c.value() == -1),
        "no labels yet: the default");
    var classifier = context.shared("oni/classifier/" + config,
        OnlineClsRewardModelShaperProvider.Classifier.class, () -> null);
    await(() -> classifier.learner.examples() == 200 && classifier.learner.idle(), "online updates");
    List<List<RewardContribution>> scored = shaper.shapeGroup(group(heldOut)).toCompletableFuture().get();
    int right = 0;
    int n = 0;
    for (int e = 0; e < scored.size(); e++) {
      for (RewardContribution c : scored.get(e)) {
        String m = heldOut.get(e * 10 + c.turn());
        assertTrue(c.value() >= 0 && c.value() <= 1, "a probability: " + c);
        right += (c.value() > 0.5) == (progress(m) > 0) ? 1 : 0;
        n++;
      }
    }
    assertEquals(100, n);
    assertTrue(right >= 75, config.encoder() + ": held-out accuracy " + right + "/100, chance is 50");
  }

  @Test
  void theRankingRewardIsZeroForAShareQOfABatch() throws Exception {
    var config = new OnlineMotifShaperProvider.Config(null, null, 0.3, 4096, 0, 32, 0.01, 8, 4096, 3);
    GroupShaper shaper = (GroupShaper) new OnlineMotifShaperProvider().create(config, context);
    List<String> batch = messages(new Random(2), 200, Set.of());
    long zeros = shaper.shapeGroup(group(batch)).toCompletableFuture().get().stream().flatMap(List::stream)
        .filter(c -> c.value() == 0).count();
    assertTrue(Math.abs(zeros / 200.0 - 0.3) <= 0.05, "zero share " + zeros / 200.0 + ", q = 0.3");
  }

  @Test
  void theRankingModelOrdersHeldOutPairsAsTheAnnotatorDoesAfterOnlineUpdates() throws Exception {
    heldOutPairAccuracyAfterOnlineUpdates(new OnlineMotifShaperProvider.Config(null, null, 0.5, 4096, 4, 32, 0.01, 8,
        256, 3));
  }

  @Test
  void theByteLevelCnnRankingModelOrdersHeldOutPairsAsTheAnnotatorDoesAfterOnlineUpdates() throws Exception {
    heldOutPairAccuracyAfterOnlineUpdates(new OnlineMotifShaperProvider.Config(null, null, 0.5, 4096, 4, 32, 0.01, 8,
        256, 3, "char-cnn"));
  }

  void heldOutPairAccuracyAfterOnlineUpdates(OnlineMotifShaperProvider.Config config) throws Exception {
    GroupShaper shaper = (GroupShaper) new OnlineMotifShaperProvider().create(config, context);
    Random r = new Random(3);
    List<String> train = messages(r, 150, Set.of());
    shaper.shapeGroup(group(train)).toCompletableFuture().get();
    var ranker = context.shared("oni/motif/" + config, OnlineMotifShaperProvider.Ranker.class, () -> null);
    await(() -> ranker.learner.examples() >= 200 && ranker.learner.idle(), "online updates");
    List<String> heldOut = messages(r, 200, new LinkedHashSet<>(train));
    float[] s = ranker.net.scores(heldOut);
    int right = 0;
    int pairs = 0;
    for (int i = 0; i + 1 < heldOut.size(); i += 2) {
      int a = progress(heldOut.get(i));
      int b = progress(heldOut.get(i + 1));
      if (a != b) {
        right += (s[i] > s[i + 1]) == (a > b) ? 1 : 0;
        pairs++;
      }
    }
    assertTrue(right >= 0.75 * pairs, config.encoder() + ": held-out pair accuracy " + right + "/" + pairs
        + ", chance is half");
  }

  /** The values of {@code shaper}'s rewards of each turn of {@code ep}, in turn order. */
  static List<Double> values(GroupShaper shaper, Episode ep) throws Exception {
    return shaper.shapeGroup(List.of(ep)).toCompletableFuture().get().get(0).stream()
        .sorted(java.util.Comparator.comparingInt(RewardContribution::turn)).map(RewardContribution::value).toList();
  }

  @Test
  void aMessagesRepeatsInAnEpisodeEarnItsRewardDividedByTheirCountToTheBeta() throws Exception {
    String good = "you found the key";
    String bad = "a wall here";
    Episode ep = episode("a", List.of(good, bad, good, good, bad));
    // ONI's law at beta = 3: the second identical message earns 1/8 of the first, the third 1/27
    RewardShaper cls = new OnlineClsShaperProvider().create(new OnlineClsShaperProvider.Config(null, null, 0, 3),
        context);
    cls.shape(ep);
    await(() -> OnlineClsShaperProvider.table(context, "annotator").size() == 2, "two labels");
    List<Double> labels = cls.shape(ep).stream().map(RewardContribution::value).toList();
    assertEquals(List.of(1.0, 0.0, 1.0 / 8, 1.0 / 27, 0.0), labels);
    // the classifier's default before it has labels, divided the same way (beta = 2 here)
    GroupShaper model = (GroupShaper) new OnlineClsRewardModelShaperProvider().create(
        new OnlineClsRewardModelShaperProvider.Config(null, null, -1, 1000, 32, 0.01, 8, 256, 2), context);
    Episode unseen = episode("b", List.of("dark stairs", "lit dust", "dark stairs", "dark stairs"));
    assertEquals(List.of(-1.0, -1.0, -1.0 / 4, -1.0 / 9), values(model, unseen));
    // the ranking reward: the same message scores the same in one batch (to float rounding), so its repeats are
    // fractions of it
    GroupShaper motif = (GroupShaper) new OnlineMotifShaperProvider().create(
        new OnlineMotifShaperProvider.Config(null, null, 0, 4096, 0, 32, 0.01, 8, 256, 3), context);
    List<Double> ranked = values(motif, ep);
    assertTrue(ranked.get(0) != 0, "a threshold at the 0-quantile keeps the reward");
    assertEquals(ranked.get(0) / 8, ranked.get(2), 1e-6 * Math.abs(ranked.get(0)));
    assertEquals(ranked.get(0) / 27, ranked.get(3), 1e-6 * Math.abs(ranked.get(0)));
    assertEquals(ranked.get(1) / 8, ranked.get(4), 1e-6 * Math.abs(ranked.get(1)));
    // beta = 0 switches the division off
    GroupShaper flat = (GroupShaper) new OnlineMotifShaperProvider().create(
        new OnlineMotifShaperProvider.Config(null, null, 0, 4096, 0, 32, 0.01, 8, 256, 0), context);
    List<Double> undivided = values(flat, ep);
    assertEquals(undivided.get(0), undivided.get(2), 1e-6 * Math.abs(undivided.get(0)));
  }
}
