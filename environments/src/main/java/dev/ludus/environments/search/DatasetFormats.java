package dev.ludus.environments.search;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.ConfigException;
import dev.ludus.environments.search.QaTask.Evidence;
import dev.ludus.environments.search.QaTask.Fact;
import dev.ludus.environments.search.QaTask.Turn;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reading and writing the field's file formats. One reader per format serves both real files and what
 * {@code ludus data generate search-qa} writes. Stateless.
 *
 * <ul>
 *   <li>{@code hotpotqa}: HotpotQA's JSON array of {@code {_id, question, answer, supporting_facts:[[title,
 *       sent_idx]], context:[[title, [sentences]]], type, level}}. The corpus is every context paragraph of the
 *       file, once per title (the distractor setting as a corpus).
 *   <li>{@code 2wiki}: 2WikiMultihopQA's JSON, the same plus {@code evidences:[[subject, relation, object]]};
 *       its types read with hyphens ({@code bridge_comparison} as {@code bridge-comparison}).
 *   <li>{@code flashrag}: FlashRAG's jsonl rows {@code {id, question, golden_answers:[...], metadata}} (the
 *       rows Search-R1's data scripts read), with a {@code corpus.jsonl} of {@code {id, contents}} whose first
 *       line is the title (in double quotes, as in Search-R1's wiki corpus). From {@code metadata} it reads
 *       {@code supporting_facts}, {@code evidences} and {@code type} when present; rows with the same
 *       {@code metadata.conversation_id} are the turns of one conversation, in file order, with
 *       {@code metadata.rewrite} the self-contained question (QReCC's rewrite).
 * </ul>
 * Errors name the file, the row and the field.
 */
final class DatasetFormats {
  private DatasetFormats() {}

  static final String HOTPOTQA = "hotpotqa";
  static final String TWO_WIKI = "2wiki";
  static final String FLASHRAG = "flashrag";

  private static final ObjectMapper JSON = new ObjectMapper().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
  private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+");

  /** A loaded dataset: its questions and the corpus they are searched in. */
  record Loaded(List<QaTask> tasks, List<Passage> corpus) {}

  // ---- reading ----

  static Loaded readHotpot(Path file, boolean twoWiki) {
    JsonNode root = readTree(file);
    if (!root.isArray()) {
      throw new ConfigException(file + ": expected a JSON array of questions, found " + root.getNodeType());
    }
    Map<String, Passage> corpus = new LinkedHashMap<>();
    List<QaTask> tasks = new ArrayList<>();
    int row = 0;
    for (JsonNode q : root) {
      String where = file + " question " + row++;
      String id = text(q, "_id", where);
      for (JsonNode c : array(q, "context", where)) {
        if (!c.isArray() || c.size() != 2 || !c.get(1).isArray()) {
          throw new ConfigException(where + ": a context entry must be [title, [sentences]], was " + c);
        }
        String title = c.get(0).asText();
        List<String> sentences = new ArrayList<>();
        c.get(1).forEach(s -> sentences.add(s.asText().strip()));
        corpus.putIfAbsent(title, new Passage(Integer.toString(corpus.size()), title, sentences));
      }
      List<Fact> facts = facts(q.get("supporting_facts"), where);
      List<Evidence> evidences = twoWiki ? evidences(q.get("evidences"), where) : List.of();
      String type = q.path("type").asText("");
      type = type.replace('_', '-'); // 2Wiki's bridge_comparison is bridge-comparison here
      String question = text(q, "question", where);
      tasks.add(new QaTask(id, type, List.of(new Turn(question, question, List.of(text(q, "answer", where)), facts,
          evidences))));
    }
    return new Loaded(tasks, List.copyOf(corpus.values()));
  }

  static Loaded readFlashRag(Path questions, Path corpusFile) {
    List<Passage> corpus = new ArrayList<>();
    forEachLine(corpusFile, (line, where) -> {
      JsonNode row = parse(line, where);
      String contents = text(row, "contents", where);
      int nl = contents.indexOf('\n');
      String title = (nl < 0 ? contents : contents.substring(0, nl)).strip();
      if (title.length() >= 2 && title.startsWith("\"") && title.endsWith("\"")) {
        title = title.substring(1, title.length() - 1);
      }
      String text = nl < 0 ? "" : contents.substring(nl + 1).strip();
      List<String> sentences = text.isEmpty() ? List.of() : List.of(SENTENCE_END.split(text));
      corpus.add(new Passage(row.path("id").asText(Integer.toString(corpus.size())), title, sentences));
    });
    List<QaTask> tasks = new ArrayList<>();
    String[] conversation = {null};
    List<Turn> turns = new ArrayList<>();
    String[] convType = {null};
    forEachLine(questions, (line, where) -> {
      JsonNode row = parse(line, where);
      JsonNode meta = row.path("metadata");
      List<String> answers = new ArrayList<>();
      JsonNode golds = row.get("golden_answers");
      if (golds == null || !golds.isArray() || golds.isEmpty()) {
        throw new ConfigException(where + ": 'golden_answers' must be a non-empty array of strings");
      }
      golds.forEach(g -> answers.add(g.asText()));
      String question = text(row, "question", where);
      Turn turn = new Turn(question, meta.path("rewrite").asText(question), answers,
          facts(meta.get("supporting_facts"), where), evidences(meta.get("evidences"), where));
      String conv = meta.hasNonNull("conversation_id") ? meta.get("conversation_id").asText() : null;
      if (conversation[0] != null && !conversation[0].equals(conv)) {
        tasks.add(new QaTask(conversation[0], convType[0], turns));
        turns.clear();
        conversation[0] = null;
      }
      if (conv != null) {
        conversation[0] = conv;
        convType[0] = meta.path("type").asText(QuestionGenerator.CONVERSATION);
        turns.add(turn);
      } else {
        tasks.add(new QaTask(text(row, "id", where), meta.path("type").asText(""), List.of(turn)));
      }
    });
    if (conversation[0] != null) {
      tasks.add(new QaTask(conversation[0], convType[0], turns));
    }
    return new Loaded(tasks, corpus);
  }

  // ---- writing ----

  /** HotpotQA (or, with {@code twoWiki}, 2WikiMultihopQA) JSON: single questions only, with their contexts. */
  static void writeHotpot(Path file, List<QaTask> tasks, Function<QaTask, List<Passage>> context, boolean twoWiki)
      throws IOException {
    ArrayNode root = JSON.createArrayNode();
    for (QaTask t : tasks) {
      if (t.conversational()) {
        continue;
      }
      Turn turn = t.turns().get(0);
      ObjectNode q = root.addObject();
      q.put("_id", t.id());
      q.put("type", twoWiki ? t.type().replace('-', '_') : hotpotType(t.type()));
      q.put("question", turn.question());
      ArrayNode ctx = q.putArray("context");
      for (Passage p : context.apply(t)) {
        ArrayNode entry = ctx.addArray().add(p.title());
        ArrayNode sentences = entry.addArray();
        p.sentences().forEach(sentences::add);
      }
      ArrayNode sf = q.putArray("supporting_facts");
      turn.supportingFacts().forEach(f -> sf.addArray().add(f.title()).add(f.sentence()));
      if (twoWiki) {
        ArrayNode ev = q.putArray("evidences");
        turn.evidences().forEach(e -> ev.addArray().add(e.subject()).add(e.relation()).add(e.object()));
      } else {
        q.put("level", level(t.type()));
      }
      q.put("answer", turn.answers().get(0));
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      JSON.writerWithDefaultPrettyPrinter().writeValue(out, root);
    }
  }

  /** HotpotQA knows two types: a comparison, or a bridge through another entity (one hop: a bridge of one). */
  private static String hotpotType(String type) {
    return type.contains("comparison") ? "comparison" : "bridge";
  }

  private static String level(String type) {
    return switch (type) {
      case QuestionGenerator.ONE_HOP -> "easy";
      case QuestionGenerator.BRIDGE_COMPARISON -> "hard";
      default -> "medium";
    };
  }

  /** FlashRAG rows, one per question; a conversation's turns are consecutive rows sharing conversation_id. */
  static void writeFlashRag(Path file, List<QaTask> tasks) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (QaTask t : tasks) {
        for (int i = 0; i < t.turns().size(); i++) {
          Turn turn = t.turns().get(i);
          ObjectNode row = JSON.createObjectNode();
          row.put("id", t.conversational() ? t.id() + "-" + i : t.id());
          row.put("question", turn.question());
          ArrayNode golds = row.putArray("golden_answers");
          turn.answers().forEach(golds::add);
          ObjectNode meta = row.putObject("metadata");
          meta.put("type", t.type());
          ArrayNode sf = meta.putArray("supporting_facts");
          turn.supportingFacts().forEach(f -> sf.addArray().add(f.title()).add(f.sentence()));
          ArrayNode ev = meta.putArray("evidences");
          turn.evidences().forEach(e -> ev.addArray().add(e.subject()).add(e.relation()).add(e.object()));
          if (t.conversational()) {
            meta.put("conversation_id", t.id());
            meta.put("turn", i);
            meta.put("rewrite", turn.rewrite());
          }
          w.write(JSON.writeValueAsString(row));
          w.write('\n');
        }
      }
    }
  }

  /** {@code corpus.jsonl}: {@code {id, contents}} with the title in quotes on the first line. */
  static void writeCorpus(Path file, List<Passage> corpus) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (Passage p : corpus) {
        ObjectNode row = JSON.createObjectNode().put("id", p.id()).put("contents", p.contents());
        w.write(JSON.writeValueAsString(row));
        w.write('\n');
      }
    }
  }

  // ---- helpers ----

  private interface LineReader {
    void read(String line, String where);
  }

  private static void forEachLine(Path file, LineReader reader) {
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        if (!line.isBlank()) {
          reader.read(line, file + " line " + n);
        }
      }
    } catch (IOException e) {
      throw new ConfigException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode readTree(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new ConfigException("cannot read " + file + " as JSON: " + e.getMessage(), e);
    }
  }

  private static JsonNode parse(String line, String where) {
    try {
      JsonNode n = JSON.readTree(line);
      if (n == null || !n.isObject()) {
        throw new ConfigException(where + ": expected a JSON object");
      }
      return n;
    } catch (IOException e) {
      throw new ConfigException(where + ": not JSON: " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode node, String field, String where) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull() || v.isContainerNode()) {
      throw new ConfigException(where + ": field '" + field + "' is missing or not a string");
    }
    return v.asText();
  }

  private static JsonNode array(JsonNode node, String field, String where) {
    JsonNode v = node.get(field);
    if (v == null || !v.isArray()) {
      throw new ConfigException(where + ": field '" + field + "' is missing or not an array");
    }
    return v;
  }

  private static List<Fact> facts(JsonNode sf, String where) {
    List<Fact> out = new ArrayList<>();
    if (sf == null || sf.isNull()) {
      return out;
    }
    for (JsonNode f : sf) {
      if (!f.isArray() || f.size() != 2 || !f.get(1).canConvertToInt()) {
        throw new ConfigException(where + ": a supporting fact must be [title, sentence index], was " + f);
      }
      out.add(new Fact(f.get(0).asText(), f.get(1).asInt()));
    }
    return out;
  }

  private static List<Evidence> evidences(JsonNode ev, String where) {
    List<Evidence> out = new ArrayList<>();
    if (ev == null || ev.isNull()) {
      return out;
    }
    for (JsonNode e : ev) {
      if (!e.isArray() || e.size() != 3) {
        throw new ConfigException(where + ": an evidence must be [subject, relation, object], was " + e);
      }
      out.add(new Evidence(e.get(0).asText(), e.get(1).asText(), e.get(2).asText()));
    }
    return out;
  }
}
