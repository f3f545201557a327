package dev.ludus.environments.search;

import java.util.List;
import java.util.Objects;

/**
 * One passage of a search corpus: a title and its sentences, one fact per sentence in generated corpora.
 * Immutable and thread-safe.
 *
 * <p>Its {@link #contents()} is the FlashRAG / Search-R1 {@code corpus.jsonl} form: the title in double quotes
 * on the first line, then the text; that is what the index searches and what a search shows the agent.
 *
 * @param id the corpus id (unique in the corpus)
 * @param title the title (unique in the corpus)
 * @param sentences the text's sentences in order; a supporting fact {@code (title, i)} is sentence {@code i}
 */
public record Passage(String id, String title, List<String> sentences) {
  public Passage {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(title, "title");
    sentences = List.copyOf(sentences);
  }

  /** The sentences joined by single spaces (each stripped). */
  public String text() {
    StringBuilder sb = new StringBuilder();
    for (String s : sentences) {
      String t = s.strip();
      if (!t.isEmpty()) {
        if (sb.length() > 0) {
          sb.append(' ');
        }
        sb.append(t);
      }
    }
    return sb.toString();
  }

  /** {@code "Title"} on the first line, then the text: a FlashRAG corpus row's {@code contents}. */
  public String contents() {
    return "\"" + title + "\"\n" + text();
  }
}
