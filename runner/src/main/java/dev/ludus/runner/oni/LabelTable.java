package dev.ludus.runner.oni;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * ONI's retrieval table: exact message → the LLM annotator's label, filled asynchronously. {@link #lookup} answers at
 * once from the table; a message it has never seen is sent to the annotator once (a request that failed or gave no
 * label lets a later lookup ask again) and has no label until the answer arrives. Each new label is handed to the
 * listeners (a classifier's training queue). Thread-safe; never blocks.
 */
final class LabelTable {
  private final Annotator annotator;
  private final Map<String, Integer> labels = new ConcurrentHashMap<>();
  private final Set<String> asked = ConcurrentHashMap.newKeySet();
  private final AtomicLong requests = new AtomicLong();
  private final List<BiConsumer<String, Integer>> listeners = new CopyOnWriteArrayList<>();

  LabelTable(Annotator annotator) {
    this.annotator = annotator;
  }

  /** Hands each later label to {@code onLabel} as it arrives (on the thread that completes the request). */
  void onLabel(BiConsumer<String, Integer> onLabel) {
    listeners.add(onLabel);
  }

  /** The label of {@code message} if the annotator gave one; otherwise asks for it, once, and returns empty. */
  Optional<Integer> lookup(String message) {
    Integer label = labels.get(message);
    if (label != null) {
      return Optional.of(label);
    }
    if (asked.add(message)) {
      requests.incrementAndGet();
      annotator.label(message).thenAccept(answer -> {
        if (answer.isPresent()) {
          labels.put(message, answer.get());
          listeners.forEach(l -> l.accept(message, answer.get()));
        } else {
          asked.remove(message); // no label: a later lookup asks again
        }
      });
    }
    return Optional.empty();
  }

  /** Messages labelled so far. */
  int size() {
    return labels.size();
  }

  /** Requests sent to the annotator so far. */
  long requests() {
    return requests.get();
  }
}
