package dev.ludus.simulators.scripted;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.Task;
import dev.ludus.api.tools.StrictJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a scripted user says over a conversation: one request per turn, and per turn the details it holds back
 * and gives only when asked. An environment writes the script into the {@link Task} it hands the user, in the
 * field {@value #FIELD}, as the JSON of {@link #toJson()}:
 *
 * <pre>{@code
 * {"turns": [{"request": "Move some money from CHK-1234 to SAV-9876.",
 *             "facts": [{"name": "amount", "keywords": ["amount", "how much"], "answer": "It's 250 dollars."}]},
 *            {"request": "Now show me the balance of SAV-9876.", "facts": []}]}
 * }</pre>
 *
 * Immutable and thread-safe.
 *
 * @param turns the user's turns, at least one
 */
public record UserScript(List<Turn> turns) {
  /** The task field that holds the script as JSON. */
  public static final String FIELD = "user_script";

  public UserScript {
    turns = List.copyOf(turns);
    if (turns.isEmpty()) {
      throw new IllegalArgumentException("a user script needs at least one turn");
    }
  }

  /**
   * One turn of the user.
   *
   * @param request what the user asks for at the start of the turn
   * @param facts what the user knows but did not say, given when the agent asks
   */
  public record Turn(String request, List<Fact> facts) {
    public Turn {
      Objects.requireNonNull(request, "request");
      facts = facts == null ? List.of() : List.copyOf(facts);
    }
  }

  /**
   * A detail the user gives when asked: a question (a message with a {@code ?}) that contains one of the
   * keywords (case-insensitive) gets {@code answer}.
   *
   * @param name what the detail is, e.g. {@code amount}
   * @param keywords words that a question about it contains, at least one
   * @param answer what the user says
   */
  public record Fact(String name, List<String> keywords, String answer) {
    public Fact {
      Objects.requireNonNull(name, "name");
      keywords = List.copyOf(keywords);
      Objects.requireNonNull(answer, "answer");
      if (keywords.isEmpty() || keywords.stream().anyMatch(String::isBlank)) {
        throw new IllegalArgumentException("fact '" + name + "' needs at least one non-blank keyword");
      }
    }
  }

  /** The script as JSON (the shape shown in the class comment). */
  public ObjectNode toJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode out = f.objectNode();
    ArrayNode ts = out.putArray("turns");
    for (Turn t : turns) {
      ObjectNode o = ts.addObject().put("request", t.request());
      ArrayNode fs = o.putArray("facts");
      for (Fact fact : t.facts()) {
        ObjectNode fo = fs.addObject().put("name", fact.name());
        ArrayNode kw = fo.putArray("keywords");
        fact.keywords().forEach(kw::add);
        fo.put("answer", fact.answer());
      }
    }
    return out;
  }

  /**
   * The script in {@code task}'s field {@value #FIELD}.
   *
   * @throws IllegalArgumentException naming the task and what is wrong, when the field is missing or malformed
   */
  public static UserScript of(Task task) {
    String raw = task.fields().get(FIELD);
    if (raw == null) {
      throw new IllegalArgumentException("task '" + task.id() + "' has no field '" + FIELD
          + "': the scripted user needs its script there");
    }
    try {
      return fromJson(StrictJson.parse(raw));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("task '" + task.id() + "', field '" + FIELD + "': " + e.getMessage(), e);
    }
  }

  /** Reads the JSON of {@link #toJson()}. */
  public static UserScript fromJson(JsonNode json) {
    if (!json.path("turns").isArray()) {
      throw new IllegalArgumentException("a user script is {\"turns\": [{\"request\": ..., \"facts\": [...]}]}");
    }
    List<Turn> turns = new ArrayList<>();
    for (JsonNode t : json.get("turns")) {
      if (!t.path("request").isTextual()) {
        throw new IllegalArgumentException("every turn needs a \"request\" string");
      }
      List<Fact> facts = new ArrayList<>();
      for (JsonNode f : t.path("facts")) {
        List<String> keywords = new ArrayList<>();
        f.path("keywords").forEach(k -> keywords.add(k.asText()));
        facts.add(new Fact(f.path("name").asText(), keywords, f.path("answer").asText()));
      }
      turns.add(new Turn(t.get("request").asText(), facts));
    }
    return new UserScript(turns);
  }
}
