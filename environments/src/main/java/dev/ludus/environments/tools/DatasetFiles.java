package dev.ludus.environments.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ludus.api.DatasetWriter;
import dev.ludus.api.Seeds;
import dev.ludus.api.ToolSpec;
import dev.ludus.api.tools.StrictJson;
import dev.ludus.environments.tools.sandbox.Intent;
import dev.ludus.environments.tools.sandbox.Sandboxes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Writes generated tasks in the field's formats: BFCL question files and their {@code possible_answer/} (single
 * turn: {@code simple}, {@code multiple}, {@code parallel}, {@code irrelevance}; multi-turn:
 * {@code multi_turn_base}, and {@code multi_turn_miss_param} for the missing-argument tasks, whose held-back
 * detail becomes the user's next turn as in BFCL), the multi-turn function documents under
 * {@code multi_turn_func_doc/}, xLAM rows ({@code xlam.json}) and ToolRL rows ({@code toolrl.json}) of the
 * single-message tasks. Task {@code i} is the one {@code tasks().task(i, seed)} gives, so a trainer reading the
 * files sees the same tasks as Ludus. Deterministic: files are written in a fixed order, JSON canonical.
 */
final class DatasetFiles {
  private DatasetFiles() {}

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  static List<DatasetWriter.WrittenFile> write(FunctionCallingConfig config, DatasetWriter.Options options,
      Path dir) throws IOException {
    Map<String, List<JsonNode>> questions = new LinkedHashMap<>();
    Map<String, List<JsonNode>> answers = new LinkedHashMap<>();
    for (String c : List.of("simple", "multiple", "parallel", "irrelevance", "multi_turn_base",
        "multi_turn_miss_param")) {
      questions.put(c, new ArrayList<>());
      answers.put(c, new ArrayList<>());
    }
    List<JsonNode> xlam = new ArrayList<>();
    List<JsonNode> toolrl = new ArrayList<>();
    TreeSet<String> sandboxes = new TreeSet<>();
    for (int i = 0; i < options.count(); i++) {
      long seed = Seeds.mix(options.seed(), i);
      Scenario.Executable s = ScenarioGenerator.generate(config.categoriesInPlay(), config.sandboxesInPlay(), seed);
      Category category = Category.fromWire(s.category());
      if (category.singleTurn()) {
        Scenario.PlannedTurn t = s.turns().get(0);
        String bfcl = category.wireName();
        String id = bfcl + "_" + questions.get(bfcl).size();
        questions.get(bfcl).add(BfclFormat.questionEntry(id, t.request(), s.tools()));
        List<Intent.Call> gold = t.calls();
        if (category != Category.IRRELEVANCE) {
          ArrayNode truth = F.arrayNode();
          for (Intent.Call g : gold) {
            ToolSpec spec = s.tools().stream().filter(x -> x.name().equals(g.name())).findFirst().orElseThrow();
            truth.addAll(PossibleAnswers.write(List.of(PossibleAnswers.of(g, FunctionDoc.fromSpec(spec)))));
          }
          answers.get(bfcl).add(BfclFormat.answerEntry(id, truth));
          xlam.add(XlamFormat.row(xlam.size(), t.request(), gold, s.tools()));
        }
        toolrl.add(ToolRlFormat.row(t.request(), s.tools(), gold));
      } else {
        String bfcl = category == Category.MISSING_ARGUMENT ? "multi_turn_miss_param" : "multi_turn_base";
        String id = bfcl + "_" + questions.get(bfcl).size();
        List<String> said = new ArrayList<>();
        ArrayNode truth = F.arrayNode();
        for (Scenario.PlannedTurn t : s.turns()) {
          if (t.fact().isPresent()) {
            said.add(t.request());
            truth.addArray();
            said.add(t.fact().get().answer());
          } else {
            said.add(t.request());
          }
          ArrayNode calls = truth.addArray();
          t.calls().forEach(c -> calls.add(PyCalls.render(c)));
        }
        questions.get(bfcl).add(BfclFormat.multiTurnEntry(id, said, s.initial()));
        answers.get(bfcl).add(BfclFormat.answerEntry(id, truth));
        sandboxes.addAll(s.initial().sandboxes());
      }
    }
    List<DatasetWriter.WrittenFile> written = new ArrayList<>();
    Files.createDirectories(dir.resolve(BfclFormat.POSSIBLE_ANSWER));
    for (Map.Entry<String, List<JsonNode>> e : questions.entrySet()) {
      if (e.getValue().isEmpty()) {
        continue;
      }
      String name = "BFCL_v3_" + e.getKey() + ".json";
      written.add(lines(dir.resolve(name), e.getValue(), "bfcl", "BFCL " + e.getKey() + " questions"));
      if (!answers.get(e.getKey()).isEmpty()) {
        written.add(lines(dir.resolve(BfclFormat.POSSIBLE_ANSWER).resolve(name), answers.get(e.getKey()), "bfcl",
            "BFCL " + e.getKey() + " possible answers"));
      }
    }
    for (String sandbox : sandboxes) {
      List<JsonNode> docs = new ArrayList<>();
      Sandboxes.tools(sandbox).forEach(t -> docs.add(FunctionDoc.bfclFunction(t)));
      Files.createDirectories(dir.resolve("multi_turn_func_doc"));
      written.add(lines(dir.resolve("multi_turn_func_doc").resolve(sandbox + ".json"), docs, "bfcl",
          "BFCL multi-turn function documents of the " + sandbox + " sandbox"));
    }
    if (!xlam.isEmpty()) {
      written.add(array(dir.resolve("xlam.json"), xlam, "xlam", "xLAM rows (query, answers, tools)"));
    }
    if (!toolrl.isEmpty()) {
      written.add(array(dir.resolve("toolrl.json"), toolrl, "toolrl", "ToolRL rows (instruction, input, output)"));
    }
    return written;
  }

  private static DatasetWriter.WrittenFile lines(Path file, List<JsonNode> rows, String format, String what)
      throws IOException {
    StringBuilder sb = new StringBuilder();
    rows.forEach(r -> sb.append(StrictJson.canonical(r)).append('\n'));
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    return new DatasetWriter.WrittenFile(file, format, rows.size() + " " + what);
  }

  private static DatasetWriter.WrittenFile array(Path file, List<JsonNode> rows, String format, String what)
      throws IOException {
    StringBuilder sb = new StringBuilder("[\n");
    for (int i = 0; i < rows.size(); i++) {
      sb.append(StrictJson.canonical(rows.get(i))).append(i + 1 < rows.size() ? ",\n" : "\n");
    }
    Files.writeString(file, sb.append("]\n").toString(), StandardCharsets.UTF_8);
    return new DatasetWriter.WrittenFile(file, format, rows.size() + " " + what);
  }
}
