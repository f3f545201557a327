package dev.ludus.environments.sql;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reasoning-SQL's partial rewards that read text (Pourreza et al., <i>Reasoning-SQL: Reinforcement Learning
 * with SQL Tailored Partial Rewards for Reasoning-Enhanced Text-to-SQL</i>, 2025), after the first author's
 * RLForSQL code ({@code grpo_training_llm_partial_reward.py}, {@code utils/database_manager.py}): how the SQL is
 * taken from a completion, the format rewards of TRL's GRPO recipe it trains with, schema-linking recall and
 * bigram Jaccard. The execution and syntax rewards need the database and live in the environment. Stateless.
 *
 * <p>Deviations, each for a stated reason: (1) when a completion has no {@code ```sql} block, RLForSQL runs the
 * whole completion as SQL, which never runs once it holds the {@code <reasoning>} tags its own system prompt
 * asks for; here the body of {@code <answer>} is used, and only then the whole text; (2) schema-linking names
 * are lower-cased (SQLite's identifiers are case-insensitive); (3) the n-gram reward's tokenization was not in
 * the code read, so it is reconstructed: lower-cased SQL tokens (words, numbers, quoted strings and
 * identifiers whole, each other symbol alone), Jaccard over the sets of adjacent pairs.
 */
final class ReasoningSql {
  /** The format its system prompt asks for. */
  static final String SYSTEM_FORMAT = "Respond in the following format:\n<reasoning>\n...\n</reasoning>\n<answer>\n...\n</answer>";

  private static final Pattern SQL_BLOCK = Pattern.compile("```sql(.*?)```", Pattern.DOTALL);
  private static final Pattern ANSWER = Pattern.compile("<answer>(.*?)</answer>", Pattern.DOTALL);
  /** Python's {@code re.match(r"(?s)<reasoning>.*?</reasoning>\s*<answer>.*?</answer>", text)}. */
  private static final Pattern SOFT = Pattern.compile("<reasoning>.*?</reasoning>\\s*<answer>.*?</answer>", Pattern.DOTALL);
  /** Python's strict pattern; {@code UNIX_LINES} so that {@code .} and {@code $} treat only {@code \n} as Python does. */
  private static final Pattern STRICT = Pattern.compile(
      "^<reasoning>\\n.*?\\n</reasoning>\\n<answer>\\n.*?\\n</answer>\\n$", Pattern.UNIX_LINES);
  private static final Pattern TOKEN = Pattern.compile(
      "'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|`[^`]*`|\\[[^\\]]*\\]|[A-Za-z_][A-Za-z0-9_]*|\\d+(?:\\.\\d+)?|<=|>=|<>|!=|\\|\\||\\S");

  private ReasoningSql() {}

  /** The SQL of a completion: its last {@code ```sql} block, else its {@code <answer>} body, else all of it. */
  static String extractSql(String completion) {
    Matcher m = SQL_BLOCK.matcher(completion);
    String last = null;
    while (m.find()) {
      last = m.group(1).strip();
    }
    if (last != null) {
      return last;
    }
    Matcher a = ANSWER.matcher(completion);
    String answer = null;
    while (a.find()) {
      answer = a.group(1).strip();
    }
    return answer != null ? answer : completion.strip();
  }

  /** TRL's {@code count_xml}: 0.125 per well-placed tag line, minus 0.001 per character after the answer. */
  static double xmlCount(String text) {
    double count = 0.0;
    if (PythonText.count(text, "<reasoning>\n") == 1) {
      count += 0.125;
    }
    if (PythonText.count(text, "\n</reasoning>\n") == 1) {
      count += 0.125;
    }
    if (PythonText.count(text, "\n<answer>\n") == 1) {
      count += 0.125;
      count -= PythonText.len(PythonText.lastPiece(text, "\n</answer>\n")) * 0.001;
    }
    if (PythonText.count(text, "\n</answer>") == 1) {
      count += 0.125;
      count -= (PythonText.len(PythonText.lastPiece(text, "\n</answer>")) - 1) * 0.001;
    }
    return count;
  }

  /** 0.5 when the text starts with {@code <reasoning>…</reasoning>} then {@code <answer>…</answer>}, else 0. */
  static double softFormat(String text) {
    return SOFT.matcher(text).lookingAt() ? 0.5 : 0.0;
  }

  /** 0.5 when the text is exactly the two tags, one per line, each body on one line, else 0. */
  static double strictFormat(String text) {
    return STRICT.matcher(text).lookingAt() ? 0.5 : 0.0;
  }

  /**
   * Schema-linking recall: {@code |gold ∩ predicted| / |gold|} over the tables and columns each references;
   * 0 when the prediction has no {@code SELECT} (the code's case-sensitive test), when either does not parse,
   * or when the gold references nothing.
   */
  static double schemaLinking(String predictedSql, Optional<SqlReferences> predicted, Optional<SqlReferences> gold) {
    if (!predictedSql.contains("SELECT") || predicted.isEmpty() || gold.isEmpty()) {
      return 0.0;
    }
    Set<String> g = gold.get().names();
    if (g.isEmpty()) {
      return 0.0;
    }
    Set<String> common = new HashSet<>(g);
    common.retainAll(predicted.get().names());
    return (double) common.size() / g.size();
  }

  /** The Jaccard similarity of the two queries' sets of token bigrams; 0 when both have none. */
  static double bigramJaccard(String predicted, String gold) {
    Set<List<String>> p = bigrams(predicted);
    Set<List<String>> g = bigrams(gold);
    Set<List<String>> union = new HashSet<>(p);
    union.addAll(g);
    if (union.isEmpty()) {
      return 0.0;
    }
    Set<List<String>> common = new HashSet<>(p);
    common.retainAll(g);
    return (double) common.size() / union.size();
  }

  /** The SQL tokens of {@code sql} (lower-cased, as the n-gram reward reads them). */
  static List<String> tokens(String sql) {
    return tokensAsWritten(sql.toLowerCase(Locale.ROOT));
  }

  /** The SQL tokens of {@code sql} as written: quoted strings and identifiers whole, each symbol alone. */
  static List<String> tokensAsWritten(String sql) {
    List<String> out = new ArrayList<>();
    Matcher m = TOKEN.matcher(sql);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  private static Set<List<String>> bigrams(String sql) {
    List<String> t = tokens(sql);
    Set<List<String>> out = new HashSet<>();
    for (int i = 0; i + 1 < t.size(); i++) {
      out.add(List.of(t.get(i), t.get(i + 1)));
    }
    return out;
  }
}
