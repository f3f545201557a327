package dev.ludus.environments.sql;

import dev.ludus.api.Message;
import dev.ludus.api.ToolSpec;
import dev.ludus.environments.sql.TextToSqlConfig.Actions;
import dev.ludus.environments.sql.TextToSqlConfig.Mode;
import java.util.List;

/**
 * What the agent reads when an episode starts, and the tools it may call. The multi-turn prompt has the
 * sections of SkyRL-SQL's (task overview, instructions, a format section naming {@code <think>}, {@code <sql>},
 * {@code <observation>} and {@code <solution>}, and the database engine, schema, external knowledge and
 * question), in words of its own; the single-turn prompt uses Reasoning-SQL's system prompt (the answer format
 * its format rewards check) and puts the schema, the hint (BIRD's evidence) and the question in the user
 * message. SkyRL's user message repeats the system prompt's placeholders literally ({@code {db_details}: ...});
 * here the sections are written out. Stateless.
 */
final class Prompts {
  private Prompts() {}

  static final String EXECUTE_SQL = "execute_sql";
  static final String SUBMIT = "submit";

  private static final String SQL_ARGUMENT = """
      {"type": "object", "properties": {"sql": {"type": "string", "description": "one read-only SQLite query"}},
       "required": ["sql"], "additionalProperties": false}""";

  static final ToolSpec EXECUTE_SQL_SPEC = new ToolSpec(EXECUTE_SQL,
      "Run one read-only SQLite query on the database and see its result (at most 50 rows when long).", SQL_ARGUMENT);
  static final ToolSpec SUBMIT_SPEC = new ToolSpec(SUBMIT,
      "Give the final SQL query that answers the question; this ends the episode.", SQL_ARGUMENT);

  /** The opening messages: a system prompt with the protocol, a user message with the database and question. */
  static List<Message> opening(TextToSqlConfig config, SqlWorld.Question q, SqlWorld.Database db) {
    return List.of(Message.system(system(config)), Message.user(user(config, q, db)));
  }

  static String system(TextToSqlConfig config) {
    if (config.mode() == Mode.SINGLE_TURN) {
      return config.actions() == Actions.TAGS ? ReasoningSql.SYSTEM_FORMAT
          : "You are a SQLite expert. Answer with one call of the submit tool holding the SQL query that answers the "
              + "question.";
    }
    String protocol = config.actions() == Actions.TAGS ? """
        Format:
        - Think inside <think>...</think> each time you get new information.
        - To explore the data or check a query, write one query inside <sql>...</sql>. Its result comes back as a table \
        inside <observation>...</observation>, with the number of turns you have left; long results are cut to 50 rows.
        - When you need no more exploring, or no turns are left, give the final SQL query inside <solution>...</solution>.

        Example:
        Question: How many books cost more than 20?
        <think>I count the rows of the books table whose price is above 20.</think>
        <sql>SELECT COUNT(*) FROM books WHERE price > 20;</sql>
        <observation>
         COUNT(*)
               7
        </observation>
        <think>Seven books cost more than 20; the query answers the question.</think>
        <solution>SELECT COUNT(*) FROM books WHERE price > 20;</solution>""" : """
        Tools:
        - execute_sql runs one read-only query and shows its result as a table, with the number of turns you have \
        left; long results are cut to 50 rows. Use it to explore the data and check your query.
        - submit gives your final SQL query and ends the episode.""";
    return """
        Task overview:
        You are a data science expert. Below are a database schema and a question in plain language. Write one valid \
        SQLite query that answers the question, within a limited number of turns: break the problem down, reason \
        about it, and check your steps against the data.

        Instructions:
        - Return only what the question asks for: if it asks for one column, select that column and nothing more.
        - Return all of it: no missing rows or columns, and none extra.
        - Before the final query, think it through: read the question, sum up what you found, try ideas, check each \
        step and correct mistakes.

        """ + protocol + "\n\nYou have " + config.maxTurns() + " turns.";
  }

  static String user(TextToSqlConfig config, SqlWorld.Question q, SqlWorld.Database db) {
    if (config.mode() == Mode.SINGLE_TURN) {
      return "You are a SQLite expert. Given the database schema, a hint and a question, write one SQLite query that "
          + "answers the question.\n\nDatabase schema:\n" + db.schema() + "\n\nHint:\n" + q.evidence()
          + "\n\nQuestion:\n" + q.question() + "\n\n" + (config.actions() == Actions.TAGS
              ? "Reason inside <reasoning>, then write the query inside <answer>."
              : "Call the submit tool with your query.");
    }
    return "Database Engine:\nSQLite\n\nDatabase Schema:\n" + db.schema()
        + "\nThe schema gives the tables, their columns, primary keys and foreign keys.\n\nExternal Knowledge:\n"
        + q.evidence() + "\n\nQuestion:\n" + q.question();
  }

  /** The tools on offer: both in multi-turn mode, only {@code submit} in single-turn mode; none with tags. */
  static List<ToolSpec> tools(TextToSqlConfig config) {
    if (config.actions() == Actions.TAGS) {
      return List.of();
    }
    return config.mode() == Mode.MULTI_TURN ? List.of(EXECUTE_SQL_SPEC, SUBMIT_SPEC) : List.of(SUBMIT_SPEC);
  }
}
