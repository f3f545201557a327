package dev.ludus.shaping.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.api.Episode;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.ShaperProvider;
import dev.ludus.api.Turn;
import dev.ludus.api.tools.StrictJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code answer-match}: how well the final answer matches the reference answers, on the final turn.
 *
 * <p>Metrics and their sources:
 * <ul>
 *   <li>{@code exact}: SQuAD exact match after {@code normalize_answer} (lower-case, no punctuation, no
 *       articles, single spaces), max over references (Rajpurkar et al., <i>SQuAD</i>, the v1.1
 *       evaluation script's {@code normalize_answer}) [CODE].
 *   <li>{@code f1}: SQuAD v1.1 token F1 (multiset overlap of normalized tokens), max over references; the
 *       final-turn reward of <i>Information Gain-based Policy Optimization</i> (IGPO, catalog A1) is a
 *       token F1 max over aliases.
 *   <li>{@code igpo-f1}: IGPO's own F1 exactly as its code computes it ({@code info_gain.py},
 *       {@code compute_f1}) [CODE]: lower-case, punctuation replaced by spaces, F1 over token <i>sets</i>,
 *       max over references.
 *   <li>{@code bleu}: <i>BLEUBERI: BLEU is a surprisingly effective reward for instruction following</i>
 *       (catalog B12) [CODE: {@code training/utils.py}, {@code bleu_reward}]: Hugging Face {@code evaluate}
 *       {@code bleu} with {@code smooth=True}, i.e. tensorflow/nmt {@code compute_bleu} on 13a tokens with
 *       add-one smoothing of every n-gram precision (n = 1..4) and the brevity penalty; 0 for empty output.
 *       As in the code, all references are scored together (multi-reference BLEU: counts clipped by the
 *       maximum over references, brevity against the shortest), not max over references.
 * </ul>
 *
 * <p>Formula: r_T = max_{ref} metric(extract(a_T), ref) (multi-reference for {@code bleu}); no other turn
 * is rewarded. extract takes the content of the last {@code <answer>…</answer>} block (trimmed), or the
 * whole message when there is none ({@code extract: answer-tag}), or always the whole message
 * ({@code extract: content}); IGPO takes the first block and gives −2 when there is none, which the
 * {@code format} shaper can express. Scope is {@link RewardShaper.Scope#EPISODE}: finding the final turn
 * needs the whole episode. A truncated episode's last turn is scored too. Stateless and thread-safe.
 */
public final class AnswerMatchShaperProvider implements ShaperProvider<AnswerMatchShaperProvider.Config> {

  static final List<String> METRICS = List.of("exact", "f1", "igpo-f1", "bleu");
  static final List<String> EXTRACTS = List.of("answer-tag", "content");
  private static final Pattern ANSWER = Pattern.compile("<answer>(.*?)</answer>", Pattern.DOTALL);

  /**
   * The configuration of {@code answer-match}. Immutable; validated on construction.
   *
   * @param referenceField the task field holding the reference answer(s); default {@code answer}
   * @param separator separates several references in that field; default {@code |}; a field that is a JSON
   *     array of strings is read as the list of references instead
   * @param metric {@code exact}, {@code f1} (the default), {@code igpo-f1} or {@code bleu}
   * @param extract where the answer is: {@code answer-tag} (the default: the last {@code <answer>} block,
   *     else the whole message) or {@code content} (the whole message)
   */
  public record Config(String referenceField, String separator, String metric, String extract) {
    public Config {
      referenceField = referenceField == null ? "answer" : referenceField;
      separator = separator == null ? "|" : separator;
      metric = TextConfigs.checkOneOf("metric",
          metric == null ? "f1" : metric.strip().toLowerCase(Locale.ROOT), METRICS);
      extract = TextConfigs.checkOneOf("extract",
          extract == null ? "answer-tag" : extract.strip().toLowerCase(Locale.ROOT), EXTRACTS);
      if (referenceField.isBlank()) {
        throw new IllegalArgumentException("referenceField must name a task field, was '" + referenceField + "'");
      }
      if (separator.isEmpty()) {
        throw new IllegalArgumentException("separator must not be empty, was ''");
      }
    }

    /** F1 of the last {@code <answer>} against the {@code answer} field, references split at {@code |}. */
    public static Config defaults() {
      return new Config("answer", "|", "f1", "answer-tag");
    }
  }

  @Override
  public String name() {
    return "answer-match";
  }

  @Override
  public String description() {
    return "final answer against the reference answers by exact match, token F1 or smoothed BLEU";
  }

  @Override
  public String formula() {
    return "r_T = max_ref metric(answer(a_T), ref), metric ∈ {exact, f1, igpo-f1, bleu}; r_t = none for t < T";
  }

  @Override
  public String reference() {
    return "SQuAD v1.1 evaluation script, EM/F1 [CODE]; IGPO final-turn F1 [CODE]; BLEUBERI: BLEU is a "
        + "surprisingly effective reward for instruction following [CODE]";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return Config.defaults();
  }

  @Override
  public RewardShaper create(Config config) {
    return new AnswerMatch(config);
  }

  /** The answer in an agent message under {@code extract}. */
  static String extract(String content, String extract) {
    if (extract.equals("answer-tag")) {
      Matcher m = ANSWER.matcher(content);
      String last = null;
      while (m.find()) {
        last = m.group(1);
      }
      if (last != null) {
        return last.strip();
      }
    }
    return content.strip();
  }

  /** The references in a task field: a JSON array of strings, or the text split at {@code separator}. */
  static List<String> references(String field, String separator) {
    String trimmed = field.strip();
    if (trimmed.startsWith("[")) {
      Optional<JsonNode> json = StrictJson.tryParse(trimmed);
      if (json.isPresent() && json.get().isArray()) {
        List<String> strings = new ArrayList<>();
        for (JsonNode e : json.get()) {
          if (!e.isTextual()) {
            strings = null;
            break;
          }
          if (!e.asText().isBlank()) {
            strings.add(e.asText().strip());
          }
        }
        if (strings != null) {
          return strings;
        }
      }
    }
    List<String> out = new ArrayList<>();
    for (String part : field.split(Pattern.quote(separator), -1)) {
      if (!part.isBlank()) {
        out.add(part.strip());
      }
    }
    return out;
  }

  /** The score of {@code answer} against {@code refs} under {@code metric}. */
  static double score(String metric, String answer, List<String> refs) {
    if (metric.equals("bleu")) {
      return AnswerMetrics.bleuberi(answer, refs);
    }
    double best = 0;
    for (String ref : refs) {
      double s = switch (metric) {
        case "exact" -> AnswerMetrics.exact(answer, ref);
        case "igpo-f1" -> AnswerMetrics.setF1(answer, ref);
        default -> AnswerMetrics.f1(answer, ref);
      };
      best = Math.max(best, s);
    }
    return best;
  }

  static final class AnswerMatch implements RewardShaper {
    private final Config config;

    AnswerMatch(Config config) {
      this.config = config;
    }

    @Override
    public Scope scope() {
      return Scope.EPISODE;
    }

    @Override
    public List<RewardContribution> shape(Episode episode) {
      if (episode.turns().isEmpty()) {
        return List.of();
      }
      String field = episode.task().fields().get(config.referenceField());
      if (field == null) {
        throw new IllegalArgumentException("task '" + episode.task().id() + "' has no field '"
            + config.referenceField() + "' with the reference answer");
      }
      List<String> refs = references(field, config.separator());
      if (refs.isEmpty()) {
        throw new IllegalArgumentException("field '" + config.referenceField() + "' of task '"
            + episode.task().id() + "' holds no reference answer");
      }
      Turn last = episode.turns().get(episode.turns().size() - 1);
      String answer = extract(last.action().content(), config.extract());
      return List.of(new RewardContribution(last.index(), config.metric(), score(config.metric(), answer, refs)));
    }
  }
}
