package dev.ludus.simulators.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Task;
import dev.ludus.api.chat.ChatClient;
import dev.ludus.simulators.tutoring.Problem;
import dev.ludus.simulators.tutoring.Skill;
import dev.ludus.simulators.tutoring.StudentDraw;
import dev.ludus.simulators.tutoring.StudentState;
import dev.ludus.simulators.tutoring.TeacherClassifier;
import dev.ludus.simulators.tutoring.TutoringReplies;
import dev.ludus.simulators.tutoring.TutoringRules;
import dev.ludus.simulators.tutoring.TutoringSignals;
import dev.ludus.simulators.tutoring.TutoringTables;
import dev.ludus.simulators.tutoring.TutoringUserConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The LLM-driven tutoring student (Pedagogical RL's classroom). Each teacher message is read as the rule-based
 * student reads it ({@link TeacherClassifier}: hinted skills, an invitation to try, the end), the leak check is the
 * rules' ({@link TutoringRules#leakCheck}); then one call to the student's model, roles flipped, returns as JSON which
 * of the hinted skills it now understands (only skills of its problem that it cannot yet do; the schema names them)
 * and its reply. An understood skill becomes known, its misconception is cleared and it counts as learned, as a
 * teaching hint does in the rules; an invitation then moves the student's progress by the rules, and the end makes
 * the rules' final attempts. A message the classifier cannot read is answered as the rule-based student answers it,
 * without a model call. The problem, starting skills and misconceptions are the rule-based student's for the same
 * task ({@link StudentDraw}), and it publishes the same {@link TutoringSignals}. Not thread-safe: one per episode.
 */
final class TutoringLlmUser extends LlmTwinUser {
  private final TutoringRules rules;
  private final Map<String, Skill> skills;
  private final List<Problem> problems;
  private final TutoringUserConfig config;
  private StudentState state;
  private SplittableRandom noise;

  TutoringLlmUser(TutoringLlmUserConfig config, ChatClient client) {
    super(config.settings(), client);
    this.config = config.rules();
    this.rules = this.config.rules();
    this.skills = TutoringTables.skills(this.config.skills());
    this.problems = this.config.problems().isEmpty() ? null : TutoringTables.problems(this.config.problems(), skills);
  }

  /** The reply's schema for a turn whose hint could teach {@code teachable}: a subset of them, and the reply. */
  static StructuredOutput reply(List<String> teachable) {
    String understood = teachable.isEmpty() ? "{\"type\": \"array\", \"maxItems\": 0}"
        : "{\"type\": \"array\", \"uniqueItems\": true, \"items\": {\"enum\": "
            + JSON.valueToTree(teachable).toString() + "}}";
    return StructuredOutput.of("student-reply", """
        {"type": "object", "required": ["understood", "reply"], "additionalProperties": false,
         "properties": {
           "understood": %s,
           "reply": {"type": "string", "minLength": 1}}}""".formatted(understood));
  }

  @Override
  CompletionStage<Step> open(Task task, long seed) {
    state = StudentDraw.draw(config, skills, problems, task);
    noise = StudentDraw.noise(seed);
    return CompletableFuture.completedFuture(
        new Step(TutoringReplies.opening(state.problem()), hidden().build(), false));
  }

  @Override
  CompletionStage<Step> turn(String text) {
    TeacherClassifier.Reading reading = TeacherClassifier.read(text, skills);
    if (reading.unreadable().isPresent()) {
      Signals s = hidden().put(StandardSignals.INVALID_ACTION, reading.unreadable().get())
          .put(TutoringSignals.HINTED, List.of()).build();
      return CompletableFuture.completedFuture(new Step(TutoringReplies.unreadable(), s, false));
    }
    state = rules.leakCheck(state, text);
    List<String> teachable = reading.hinted().stream()
        .filter(id -> state.problem().skills().contains(id) && !state.can(id)).toList();
    StructuredOutput output = reply(teachable);
    Map<String, Object> vars = variables();
    vars.put("hinted", reading.hinted().stream().map(this::describe).toList());
    vars.put("teachable", teachable);
    vars.put("invited", reading.invites());
    vars.put("ending", reading.ends());
    vars.put("schema", output.schema());
    String system = templates.render("tutoring-student", vars);
    return model.structured(flipped(system), output).thenApply(json -> step(reading, json));
  }

  private Step step(TeacherClassifier.Reading reading, JsonNode json) {
    Set<String> known = new HashSet<>(state.known());
    Set<String> mis = new HashSet<>(state.misconceptions());
    List<String> learned = new ArrayList<>(state.learned());
    for (JsonNode id : json.get("understood")) {
      known.add(id.asText());
      mis.remove(id.asText());
      learned.add(id.asText());
    }
    state = new StudentState(state.problem(), known, mis, learned, state.progress(), state.contributed(),
        state.revealedSteps(), state.leaked());
    Signals.Builder signals = Signals.builder();
    if (reading.ends()) {
      int solved = rules.solved(state, noise);
      signals.put(TutoringSignals.ATTEMPTS_SOLVED, solved).put(TutoringSignals.ATTEMPTS, rules.attempts());
    } else if (reading.invites()) {
      state = rules.invite(state).getValue();
    }
    Signals s = signals.putAll(hidden().put(TutoringSignals.HINTED, reading.hinted()).build()).build();
    return new Step(json.get("reply").asText().strip(), s, reading.ends());
  }

  private Map<String, Object> describe(String id) {
    Skill k = skills.get(id);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("name", k.name());
    m.put("needed", state.problem().skills().contains(id));
    m.put("can", state.can(id));
    m.put("belief", state.misconceptions().contains(id) ? k.misconception().belief() : "");
    return m;
  }

  private Map<String, Object> variables() {
    Problem p = state.problem();
    Map<String, Object> v = new HashMap<>();
    v.put("question", p.question());
    v.put("known", state.knownSorted().stream().map(id -> skills.get(id).name()).toList());
    v.put("lacking", p.skills().stream().filter(id -> !state.known().contains(id)).sorted()
        .map(id -> skills.get(id).name()).toList());
    v.put("beliefs", state.misconceptionsSorted().stream().map(id -> skills.get(id).misconception().belief())
        .toList());
    v.put("done_steps", p.steps().subList(0, Math.min(state.progress(), p.steps().size())).stream()
        .map(Problem.Step::says).toList());
    if (state.progress() < p.steps().size()) {
      String next = p.steps().get(state.progress()).skill();
      v.put("next_step", skills.get(next).name());
      v.put("can_next", state.can(next));
    } else {
      v.put("next_step", "");
      v.put("can_next", true);
    }
    return v;
  }

  private Signals.Builder hidden() {
    return Signals.builder()
        .put(TutoringSignals.PROBLEM, state.problem().id())
        .put(TutoringSignals.SKILLS_LEARNED, state.learned())
        .put(TutoringSignals.STUDENT_SKILLS, state.knownSorted())
        .put(TutoringSignals.MISCONCEPTIONS, state.misconceptionsSorted())
        .put(TutoringSignals.LEAK, state.leakDetected())
        .put(TutoringSignals.CONTRIBUTED, state.contributed());
  }

  /** The hidden state now (tests, fidelity checks). */
  StudentState state() {
    return state;
  }
}
