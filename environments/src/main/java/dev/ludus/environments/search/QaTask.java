package dev.ludus.environments.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A question-answering task: one question, or a conversation of follow-ups (ChatR1-style) asked one after
 * another, each with its gold answers and the supporting facts that answer it. Immutable and thread-safe.
 *
 * @param id a stable id (HotpotQA's {@code _id}, a FlashRAG row id, or the generator's)
 * @param type {@code one-hop}, {@code compositional}, {@code comparison}, {@code bridge-comparison},
 *     {@code conversation}, or a loaded file's own type (HotpotQA's {@code bridge})
 * @param turns the questions in the order they are asked; one for a single question
 */
public record QaTask(String id, String type, List<Turn> turns) {
  public QaTask {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    turns = List.copyOf(turns);
    if (turns.isEmpty()) {
      throw new IllegalArgumentException("task '" + id + "' has no question");
    }
  }

  /**
   * One question.
   *
   * @param question the question as asked (a follow-up may say "she" for an earlier answer)
   * @param rewrite the same question made self-contained (QReCC's rewrite); equal to {@code question} when it
   *     refers to nothing earlier
   * @param answers the gold answers (aliases); at least one
   * @param supportingFacts the {@code (title, sentence index)} pairs that answer it, HotpotQA's
   *     {@code supporting_facts}; empty when a loaded file gives none
   * @param evidences 2WikiMultihopQA's {@code (subject, relation, object)} triples; may be empty
   */
  public record Turn(String question, String rewrite, List<String> answers, List<Fact> supportingFacts,
      List<Evidence> evidences) {
    public Turn {
      Objects.requireNonNull(question, "question");
      rewrite = rewrite == null || rewrite.isBlank() ? question : rewrite;
      answers = List.copyOf(answers);
      supportingFacts = List.copyOf(supportingFacts);
      evidences = evidences == null ? List.of() : List.copyOf(evidences);
      if (answers.isEmpty()) {
        throw new IllegalArgumentException("question '" + question + "' has no gold answer");
      }
    }

    /** The titles of the passages holding the supporting facts: the gold passages, in order, once each. */
    public List<String> goldTitles() {
      List<String> out = new ArrayList<>();
      for (Fact f : supportingFacts) {
        if (!out.contains(f.title())) {
          out.add(f.title());
        }
      }
      return out;
    }
  }

  /** A supporting fact: sentence {@code sentence} (from 0) of the passage titled {@code title}. */
  public record Fact(String title, int sentence) {
    public Fact {
      Objects.requireNonNull(title, "title");
      if (sentence < 0) {
        throw new IllegalArgumentException("a supporting fact's sentence index must be >= 0, was " + sentence);
      }
    }
  }

  /** A 2WikiMultihopQA evidence triple. */
  public record Evidence(String subject, String relation, String object) {}

  /** Whether this is a conversation of several questions. */
  public boolean conversational() {
    return turns.size() > 1;
  }
}
