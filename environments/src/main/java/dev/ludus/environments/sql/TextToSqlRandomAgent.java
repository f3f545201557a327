package dev.ludus.environments.sql;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.Role;
import dev.ludus.api.Seeds;
import dev.ludus.api.ToolCall;
import dev.ludus.environments.sql.TextToSqlConfig.Actions;
import dev.ludus.environments.sql.TextToSqlConfig.Mode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Acts at random within the protocol: reads the tables and columns from the {@code CREATE TABLE} statements in
 * the prompt and writes a random query over them ({@code SELECT} a column or {@code COUNT(*)}, sometimes with a
 * {@code WHERE … IS NOT NULL}, an {@code ORDER BY} or a {@code LIMIT}), which it explores with or answers with at
 * random (always answers in single-turn mode). Its randomness comes from the episode seed and the turn.
 * Stateless and thread-safe.
 */
final class TextToSqlRandomAgent implements Agent {
  private static final Pattern TABLE = Pattern.compile("CREATE TABLE\\s+([\"`\\[]?[\\w ]+?[\"`\\]]?)\\s*\\(",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern COLUMN = Pattern.compile("^\\s*(\"[^\"]+\"|`[^`]+`|\\[[^\\]]+\\]|\\w+)\\s+\\w+",
      Pattern.MULTILINE);
  private static final List<String> NOT_COLUMNS = List.of("FOREIGN", "PRIMARY", "UNIQUE", "CONSTRAINT", "CHECK");

  private final TextToSqlConfig config;

  TextToSqlRandomAgent(TextToSqlConfig config) {
    this.config = config;
  }

  @Override
  public CompletionStage<AgentResponse> act(AgentRequest request) {
    SplittableRandom rng = new SplittableRandom(Seeds.mix(request.seed(), request.turn()));
    String sql = query(schema(request.conversation()), rng);
    boolean answer = config.mode() == Mode.SINGLE_TURN || rng.nextInt(5) < 2;
    Message m;
    if (config.actions() == Actions.TOOLS) {
      String arguments = JsonNodeFactory.instance.objectNode().put("sql", sql).toString();
      m = Message.assistant("", List.of(ToolCall.of("call-" + request.turn(),
          answer ? Prompts.SUBMIT : Prompts.EXECUTE_SQL, arguments)));
    } else if (config.mode() == Mode.SINGLE_TURN) {
      m = Message.assistant("<reasoning>\nA guess.\n</reasoning>\n<answer>\n" + sql + "\n</answer>\n");
    } else {
      m = Message.assistant("<think>A guess.</think>\n" + (answer ? "<solution>" + sql + "</solution>" : "<sql>" + sql + "</sql>"));
    }
    return CompletableFuture.completedFuture(AgentResponse.reply(m));
  }

  /** Tables and their columns, read from the first user message holding {@code CREATE TABLE} statements. */
  static Map<String, List<String>> schema(List<Message> conversation) {
    Map<String, List<String>> tables = new LinkedHashMap<>();
    for (Message m : conversation) {
      if (m.role() != Role.USER || !m.content().contains("CREATE TABLE")) {
        continue;
      }
      String text = m.content();
      Matcher t = TABLE.matcher(text);
      List<Integer> starts = new ArrayList<>();
      List<String> names = new ArrayList<>();
      while (t.find()) {
        starts.add(t.end());
        names.add(t.group(1).strip());
      }
      for (int i = 0; i < names.size(); i++) {
        int end = i + 1 < starts.size() ? starts.get(i + 1) : text.length();
        List<String> columns = new ArrayList<>();
        Matcher c = COLUMN.matcher(text.substring(starts.get(i), end));
        while (c.find()) {
          String name = c.group(1);
          if (!NOT_COLUMNS.contains(name.toUpperCase(java.util.Locale.ROOT)) && !name.equalsIgnoreCase("CREATE")) {
            columns.add(name);
          }
        }
        tables.put(names.get(i), columns.isEmpty() ? List.of("*") : columns);
      }
      break;
    }
    return tables;
  }

  static String query(Map<String, List<String>> schema, SplittableRandom rng) {
    if (schema.isEmpty()) {
      return "SELECT 1";
    }
    List<String> tables = new ArrayList<>(schema.keySet());
    String table = tables.get(rng.nextInt(tables.size()));
    List<String> columns = schema.get(table);
    String column = columns.get(rng.nextInt(columns.size()));
    if (rng.nextInt(6) == 0) {
      return "SELECT COUNT(*) FROM " + table;
    }
    String sql = "SELECT " + column + " FROM " + table;
    return switch (rng.nextInt(4)) {
      case 0 -> sql + " WHERE " + columns.get(rng.nextInt(columns.size())) + " IS NOT NULL";
      case 1 -> sql + " ORDER BY " + column + (rng.nextBoolean() ? " DESC" : "") + " LIMIT " + (1 + rng.nextInt(3));
      case 2 -> sql + " LIMIT " + (1 + rng.nextInt(5));
      default -> sql;
    };
  }
}
