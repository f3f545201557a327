package dev.ludus.runner.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Episode;
import dev.ludus.api.codec.EpisodeCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16, finding 1: a kill -9 while the store wrote tore the last line, and then nothing could be read. */
class TornLinesTest {
  private static final EpisodeCodec CODEC = EpisodeCodec.plain();

  /** Two whole episodes, then the first {@code cut} bytes of a third, as a kill in the middle of a write leaves. */
  private static Path killedWhileWriting(Path dir, int cut) throws Exception {
    Path file = dir.resolve("episodes.jsonl");
    try (EpisodeStore store = EpisodeStore.open(file)) {
      store.append(EpisodeStoreTest.sample("a")).toCompletableFuture().join();
      store.append(EpisodeStoreTest.sample("b")).toCompletableFuture().join();
    }
    byte[] third = CODEC.encode(EpisodeStoreTest.sample("c"));
    Files.write(file, Arrays.copyOf(third, cut), StandardOpenOption.APPEND);
    return file;
  }

  @Test
  void aTornFinalLineIsSkippedAndReported(@TempDir Path dir) throws Exception {
    Path file = killedWhileWriting(dir, 57);
    long whole = Files.size(file) - 57;
    List<Episode> read = EpisodeReader.readAll(file);
    assertEquals(List.of("a", "b"), read.stream().map(Episode::id).toList());
    EpisodeReader.ReadResult r = EpisodeReader.forEach(file, CODEC, e -> { });
    assertEquals(2, r.episodes());
    assertTrue(r.hasTornLine());
    assertEquals(3, r.torn().line());
    assertEquals(whole, r.torn().offset());
    assertEquals(57, r.torn().bytes());
  }

  @Test
  void aTornLineInTheMiddleIsAnErrorNamingTheLine(@TempDir Path dir) throws Exception {
    Path file = killedWhileWriting(dir, 57);
    Files.write(file, ("\n" + CODEC.encodeToString(EpisodeStoreTest.sample("d")) + "\n")
        .getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> EpisodeReader.readAll(file));
    assertTrue(e.getMessage().contains("line 3"), e.getMessage());
  }

  @Test
  void aFinalLineThatIsWholeButLacksItsNewlineIsRead(@TempDir Path dir) throws Exception {
    Path file = killedWhileWriting(dir, CODEC.encode(EpisodeStoreTest.sample("c")).length);
    EpisodeReader.ReadResult r = EpisodeReader.forEach(file, CODEC, e -> { });
    assertEquals(3, r.episodes());
    assertFalse(r.hasTornLine());
  }

  @Test
  void resumeTruncatesTheTornTailAndAppendsOnALineOfItsOwn(@TempDir Path dir) throws Exception {
    Path file = killedWhileWriting(dir, 300);
    List<String> seen = new ArrayList<>();
    EpisodeStore.Resumed resumed = EpisodeStore.openForResume(file, e -> seen.add(e.id()));
    try (EpisodeStore store = resumed.store()) {
      assertEquals(List.of("a", "b"), seen);
      assertEquals(3, resumed.read().torn().line());
      store.append(EpisodeStoreTest.sample("c")).toCompletableFuture().join();
    }
    assertEquals(List.of(EpisodeStoreTest.sample("a"), EpisodeStoreTest.sample("b"), EpisodeStoreTest.sample("c")),
        EpisodeReader.readAll(file));
    assertEquals(3, Files.readAllLines(file).size());
  }

  @Test
  void resumeAfterAWholeLastLineWithoutItsNewlineStartsANewLine(@TempDir Path dir) throws Exception {
    Path file = killedWhileWriting(dir, CODEC.encode(EpisodeStoreTest.sample("c")).length);
    try (EpisodeStore store = EpisodeStore.openForResume(file, e -> { }).store()) {
      store.append(EpisodeStoreTest.sample("d")).toCompletableFuture().join();
    }
    assertEquals(List.of("a", "b", "c", "d"), EpisodeReader.readAll(file).stream().map(Episode::id).toList());
  }

  @Test
  void retainKeepsTheAcceptedEpisodesInOrderAndDropsATornTail(@TempDir Path dir) throws Exception {
    Path file = killedWhileWriting(dir, 99);
    assertEquals(1, EpisodeStore.retain(file, e -> !e.id().equals("a")));
    assertEquals(List.of(EpisodeStoreTest.sample("b")), EpisodeReader.readAll(file));
    assertFalse(Files.exists(dir.resolve("episodes.jsonl.tmp")));
  }

  @Test
  void aLargeBatchReachesTheFileAsWholeLines(@TempDir Path dir) {
    // more than the old 64 KiB stream buffer in one batch: every line must come back whole
    Path file = dir.resolve("episodes.jsonl");
    List<java.util.concurrent.CompletableFuture<Void>> pending = new ArrayList<>();
    try (EpisodeStore store = EpisodeStore.open(file)) {
      for (int i = 0; i < 600; i++) {
        pending.add(store.append(EpisodeStoreTest.sample("e" + i)).toCompletableFuture());
      }
      pending.forEach(java.util.concurrent.CompletableFuture::join);
    }
    EpisodeReader.ReadResult r = EpisodeReader.forEach(file, CODEC, e -> { });
    assertEquals(600, r.episodes());
    assertFalse(r.hasTornLine());
  }
}
