package dev.ludus.runner.checksim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.agents.openai.mock.MockReply;
import dev.ludus.agents.openai.mock.MockResponder;
import dev.ludus.agents.openai.mock.RecordedRequest;
import dev.ludus.simulators.questions.Catalogue;
import dev.ludus.simulators.questions.Item;
import dev.ludus.simulators.questions.QuestionGrammar;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scripted user models for the mock server, one per behaviour, answering every LLM twin's prompts (recognised by a
 * phrase of the system prompt): {@link #good()} plays each user as its prompt asks (well-formed JSON, truthful
 * answers read from the prompt's hidden state, "don't know" to questions outside the persona, no stop right after a
 * confirmation request); {@link #bad()} is deliberately bad in every way tau2-bench found real user simulators bad,
 * always with well-formed JSON so that only the fidelity checks can catch it: it stops when asked to confirm, invents
 * facts, speaks as the assistant, puts text after stop tokens, lets its emotion and propensity fall whatever the
 * agent says, answers "yes" to everything and understands every hint at once. Stateless and thread-safe.
 */
public final class ScriptedUserModels {
  private ScriptedUserModels() {}

  static final Pattern UNKNOWN = Pattern.compile("(?i)passport|teacher's name|first-grade teacher|maiden name|"
      + "license plate");
  static final Pattern CONFIRM = Pattern.compile("(?i)\\bconfirm\\b");
  static final Pattern EMPATHIC = Pattern.compile("(?i)\\b(?:hear you|understand|makes? (?:complete )?sense|valid|"
      + "sorry|here for you|with you|not alone|glad you told|must have been|that sounds)\\b");
  static final Pattern LAST_AGENT_LINE = Pattern.compile("(?m)^agent: (.*)$");
  static final Pattern PROPENSITY = Pattern.compile("propensity to donate is ([0-9.]+)");
  static final Pattern TEACHABLE = Pattern.compile("only from \\[([^\\]]*)\\]");
  static final Pattern REVEALABLE = Pattern.compile("\"items\": \\{\"enum\": \\[([^\\]]*)\\]");
  static final Pattern ITEM = Pattern.compile("You are thinking of: ([a-z ]+)\\.");
  static final Pattern QUESTION = Pattern.compile("as understood: \"([^\"]*)\"");
  static final Pattern INTENT_LINE = Pattern.compile("(?m)^- ([^:\\n]+): (.+)$");
  static final Pattern ASKED = Pattern.compile("last message asks (.+?)\\. You know the ([^:]+): answer truthfully");
  static final Pattern ANSWERS = Pattern.compile("one of ([^\\n]+?)\\.\\n");

  /** The roles, by a phrase of their system prompts. */
  enum Role { ANALYSER, ACTOR, PERSUADEE, CONFIDANT, STUDENT, INTENT, TWENTY_QUESTIONS }

  static Role role(String system) {
    if (system.contains("emotion analyser")) {
      return Role.ANALYSER;
    } else if (system.contains("You are the\npersuadee") || system.contains("You are the persuadee")) {
      return Role.PERSUADEE;
    } else if (system.contains("added as a friend by a stranger")) {
      return Role.CONFIDANT;
    } else if (system.contains("You are a student")) {
      return Role.STUDENT;
    } else if (system.contains("asking an assistant for help")) {
      return Role.INTENT;
    } else if (system.contains("playing twenty questions")) {
      return Role.TWENTY_QUESTIONS;
    } else if (system.contains("Rules:")) {
      return Role.ACTOR;
    }
    throw new IllegalStateException("no scripted role for the system prompt: " + system);
  }

  /** A user model that plays every twin as its prompt asks. */
  public static MockResponder good() {
    return request -> MockReply.text(good(role(system(request)), system(request), last(request)));
  }

  /** A user model that is deliberately bad in every way the checks look for, in well-formed JSON. */
  public static MockResponder bad() {
    return request -> MockReply.text(bad(role(system(request)), system(request), last(request)));
  }

  private static String good(Role role, String system, String last) {
    boolean unknown = UNKNOWN.matcher(last).find();
    String say = unknown ? "I don't know that, sorry." : CONFIRM.matcher(last).find() ? "Yes, that's right."
        : "Okay, I see.";
    return switch (role) {
      case ANALYSER -> {
        Matcher m = LAST_AGENT_LINE.matcher(system);
        String agent = "";
        while (m.find()) {
          agent = m.group(1);
        }
        boolean matched = EMPATHIC.matcher(agent).find();
        yield json(Map.of("analysis", matched ? "they felt heard" : "it did not reach them",
            "fit", matched ? "matched" : "neutral", "change", matched ? 5 : 0));
      }
      case ACTOR -> system.contains("say goodbye") ? "Thank you, that helped. Goodbye." : say;
      case PERSUADEE -> {
        Matcher m = PROPENSITY.matcher(system);
        double p = m.find() ? Double.parseDouble(m.group(1)) : 0.5;
        yield json(Map.of("propensity", unknown ? p : Math.min(1, p + 0.02), "decision", "continue",
            "reply", unknown ? "I'd rather not say." : say));
      }
      case CONFIDANT -> {
        Matcher m = REVEALABLE.matcher(system);
        String first = m.find() && !m.group(1).isBlank() ? m.group(1).split(",")[0].trim() : null;
        yield "{\"reveal\": [" + (first == null || unknown ? "" : first) + "], \"reply\": \""
            + (unknown ? "I'd rather not say." : "Well, since you ask, yes.") + "\"}";
      }
      case STUDENT -> {
        Matcher m = TEACHABLE.matcher(system);
        String ids = m.find() ? m.group(1).trim() : "";
        String understood = ids.isEmpty() ? "" : "\"" + String.join("\", \"", ids.split(",\\s*")) + "\"";
        yield "{\"understood\": [" + understood + "], \"reply\": \"" + (unknown ? "I don't know, sorry."
            : "Okay, let me try that step.") + "\"}";
      }
      case INTENT -> {
        String answer = intentAnswer(system);
        yield json(Map.of("answer", answer, "reply", answer.equals("not-sure") ? "I'm not sure about that."
            : "It's " + answer + "."));
      }
      case TWENTY_QUESTIONS -> {
        Matcher item = ITEM.matcher(system);
        Matcher question = QUESTION.matcher(system);
        if (!item.find() || !question.find()) {
          throw new IllegalStateException("the prompt names the item and the question: " + system);
        }
        Item target = Catalogue.find(item.group(1)).orElseThrow();
        boolean yes = QuestionGrammar.parse(question.group(1)) instanceof QuestionGrammar.Ask ask
            && ask.question().test(target);
        yield json(Map.of("answer", yes ? "yes" : "no", "reply", yes ? "Yes, it is." : "No, it isn't."));
      }
    };
  }

  /** The truthful answer to an intent question, from the intent the prompt states. */
  static String intentAnswer(String system) {
    Matcher asked = ASKED.matcher(system);
    if (!asked.find()) {
      return "not-sure";
    }
    Map<String, String> intent = new HashMap<>();
    Matcher line = INTENT_LINE.matcher(system.substring(0, asked.start()));
    while (line.find()) {
      intent.put(line.group(1).trim(), line.group(2).trim());
    }
    String value = intent.get(asked.group(2).trim());
    if (value == null) {
      return "not-sure";
    }
    String what = asked.group(1);
    String prefix = "whether the " + asked.group(2).trim() + " is ";
    if (what.startsWith(prefix)) {
      String rest = what.substring(prefix.length());
      int or = rest.indexOf(" or ");
      Matcher listed = ANSWERS.matcher(system);
      boolean either = or > 0 && listed.find() && listed.group(1).contains("neither");
      if (either) {
        String a = rest.substring(0, or);
        String b = rest.substring(or + 4);
        return value.equals(a) ? a : value.equals(b) ? b : "neither";
      }
      return value.equals(rest) ? "yes" : "no";
    }
    return value;
  }

  private static String bad(Role role, String system, String last) {
    boolean confirm = CONFIRM.matcher(last).find();
    String say = UNKNOWN.matcher(last).find() ? "Sure, it is X-4411-2231."
        : confirm ? "###STOP### yes, go ahead" : "Assistant: How can I help you today?";
    return switch (role) {
      case ANALYSER -> json(Map.of("analysis", "whatever they say hurts", "fit", "harmful", "change", -10));
      case ACTOR -> say;
      case PERSUADEE -> json(Map.of("propensity", 0.0, "decision", confirm ? "leave" : "continue", "reply", say));
      case CONFIDANT -> json(Map.of("reveal", java.util.List.of(), "reply", say));
      case STUDENT -> {
        Matcher m = TEACHABLE.matcher(system);
        String ids = m.find() ? m.group(1).trim() : "";
        String understood = ids.isEmpty() ? "" : "\"" + String.join("\", \"", ids.split(",\\s*")) + "\"";
        yield "{\"understood\": [" + understood + "], \"reply\": " + quote(say) + "}";
      }
      case INTENT -> {
        Matcher listed = ANSWERS.matcher(system);
        String[] answers = listed.find() ? listed.group(1).split(",\\s*") : new String[] {"not-sure"};
        yield json(Map.of("answer", answers[0].trim(), "reply", say));
      }
      case TWENTY_QUESTIONS -> json(Map.of("answer", "yes", "reply", say));
    };
  }

  private static String system(RecordedRequest request) {
    return request.json().path("messages").path(0).path("content").asText("");
  }

  private static String last(RecordedRequest request) {
    JsonNode messages = request.json().path("messages");
    return messages.path(messages.size() - 1).path("content").asText("").toLowerCase(Locale.ROOT);
  }

  private static String json(Map<String, ?> value) {
    return dev.ludus.runner.config.Json.JSON.valueToTree(value).toString();
  }

  private static String quote(String s) {
    return dev.ludus.runner.config.Json.JSON.getNodeFactory().textNode(s).toString();
  }
}
