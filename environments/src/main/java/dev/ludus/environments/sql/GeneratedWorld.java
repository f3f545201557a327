package dev.ludus.environments.sql;

import dev.ludus.api.Seeds;
import dev.ludus.environments.sql.DatabaseGenerator.Instance;
import dev.ludus.environments.sql.QuestionTemplates.Candidate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Generates a world: databases from the domain templates, written as SQLite files in Spider's layout
 * ({@code database/{db_id}/{db_id}.sqlite}, each perturbed copy beside it as
 * {@code {db_id}_perturbed_{k}.sqlite}, which is where test-suite-sql-eval looks for a database's instances),
 * then questions whose gold results come from executing the gold query on every instance. A proposal is kept
 * only when its result is neither empty nor degenerate (one row of zeros or nulls) on any instance, when an
 * {@code ORDER BY … LIMIT k} has no tie at its cut on any instance (else set comparison would be ambiguous),
 * and when its query is new. Deterministic: the same parameters give the same files and questions. Stateless.
 */
final class GeneratedWorld {
  private GeneratedWorld() {}

  /** Attempts per kept question before a database gives up on a kind. */
  private static final int ATTEMPTS_PER_QUESTION = 8;

  /**
   * What to generate.
   *
   * @param seed the seed of everything
   * @param domains the templates, in order
   * @param databasesPerDomain databases per template
   * @param perturbations perturbed copies per database
   * @param questionsPerKind questions kept per database and kind
   */
  record Plan(long seed, List<DomainSpec> domains, int databasesPerDomain, int perturbations, int questionsPerKind) {
    static Plan of(TextToSqlConfig c) {
      return new Plan(c.seed(), c.domainSpecs(), c.databasesPerDomain(), c.perturbations(), c.questionsPerKind());
    }

    Plan withDatabasesPerDomain(int n) {
      return new Plan(seed, domains, n, perturbations, questionsPerKind);
    }
  }

  /**
   * Generates into {@code directory} (which exists), running gold queries with {@code sandbox} on this thread.
   *
   * @param owned whether the world deletes {@code directory} when it closes
   */
  static SqlWorld build(Plan plan, Path directory, SqlSandbox sandbox, SqlSandbox.Limits limits, boolean owned)
      throws IOException {
    Map<String, SqlWorld.Database> databases = new LinkedHashMap<>();
    List<SqlWorld.Question> questions = new ArrayList<>();
    for (int r = 0; r < plan.databasesPerDomain(); r++) {
      for (int d = 0; d < plan.domains().size(); d++) {
        DomainSpec domain = plan.domains().get(d);
        String dbId = domain.name() + "_" + (r + 1);
        long dbSeed = Seeds.mix(Seeds.mix(plan.seed(), Domains.ALL.indexOf(domain)), r);
        Path folder = Files.createDirectories(directory.resolve("database").resolve(dbId));
        List<Path> files = new ArrayList<>();
        Instance first = null;
        for (int k = 0; k <= plan.perturbations(); k++) {
          Instance data = DatabaseGenerator.generate(domain, Seeds.mix(dbSeed, k));
          Path file = folder.resolve(k == 0 ? dbId + ".sqlite" : dbId + "_perturbed_" + k + ".sqlite");
          try {
            DatabaseGenerator.write(domain, data, file);
          } catch (SQLException e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
          }
          files.add(file);
          if (k == 0) {
            first = data;
          }
        }
        databases.put(dbId, new SqlWorld.Database(dbId, files, schema(domain)));
        ask(domain, dbId, dbSeed, first, files, plan.questionsPerKind(), sandbox, limits, questions);
      }
    }
    return new SqlWorld(questions, databases, owned ? directory : null);
  }

  /** The schema the agent reads: the {@code CREATE TABLE} statements, each ending with a semicolon. */
  static String schema(DomainSpec domain) {
    return String.join(";\n\n", DatabaseGenerator.ddl(domain)) + ";";
  }

  private static void ask(DomainSpec domain, String dbId, long dbSeed, Instance first, List<Path> files, int perKind,
      SqlSandbox sandbox, SqlSandbox.Limits limits, List<SqlWorld.Question> out) {
    Set<String> seen = new HashSet<>();
    for (QuestionKind kind : QuestionKind.values()) {
      SplittableRandom rng = new SplittableRandom(Seeds.mix(Seeds.mix(dbSeed, 1000 + kind.ordinal()), 7));
      int kept = 0;
      for (int attempt = 0; attempt < ATTEMPTS_PER_QUESTION * perKind && kept < perKind; attempt++) {
        Optional<Candidate> proposed = QuestionTemplates.propose(kind, domain, first, rng);
        if (proposed.isEmpty() || !seen.add(proposed.get().sql())) {
          continue;
        }
        Candidate c = proposed.get();
        Optional<List<QueryResult.Rows>> gold = gold(c, files, sandbox, limits);
        if (gold.isPresent()) {
          out.add(new SqlWorld.Question(out.size(), dbId + "-" + kind.word() + "-" + kept, dbId, kind.word(),
              c.question(), c.evidence(), c.sql(), gold.get()));
          kept++;
        }
      }
    }
  }

  /** The gold rows of {@code c} on every instance, or empty when it is to be rejected. */
  static Optional<List<QueryResult.Rows>> gold(Candidate c, List<Path> files, SqlSandbox sandbox,
      SqlSandbox.Limits limits) {
    List<QueryResult.Rows> gold = new ArrayList<>(files.size());
    for (Path file : files) {
      if (!(sandbox.execute(file, c.sql(), limits) instanceof QueryResult.Rows rows)
          || rows.truncated() || rows.degenerate()) {
        return Optional.empty();
      }
      if (c.tieProbe() != null && tied(sandbox.execute(file, c.tieProbe(), limits), c.limit())) {
        return Optional.empty();
      }
      gold.add(rows);
    }
    return Optional.of(gold);
  }

  /** Whether the ordering keys of the first {@code k + 1} rows tie at the cut after row {@code k}. */
  static boolean tied(QueryResult probe, int k) {
    if (!(probe instanceof QueryResult.Rows rows)) {
      return true; // a probe that fails cannot vouch for the cut
    }
    if (rows.size() <= k) {
      return false;
    }
    List<Object> a = rows.rows().get(k - 1);
    List<Object> b = rows.rows().get(k);
    List<Object> ka = new ArrayList<>();
    List<Object> kb = new ArrayList<>();
    a.forEach(v -> ka.add(ExecutionMatch.key(v)));
    b.forEach(v -> kb.add(ExecutionMatch.key(v)));
    return ka.equals(kb);
  }
}
