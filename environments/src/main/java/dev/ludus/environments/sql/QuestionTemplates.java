package dev.ludus.environments.sql;

import dev.ludus.environments.sql.DatabaseGenerator.Instance;
import dev.ludus.environments.sql.DomainSpec.ColumnSpec;
import dev.ludus.environments.sql.DomainSpec.Kind;
import dev.ludus.environments.sql.DomainSpec.TableSpec;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Proposes questions from SQL templates: for a kind, a domain and the data of the database's first instance,
 * a gold query with its question in one of several paraphrases and its evidence (BIRD's external knowledge).
 * Parameters are drawn from values the data holds, so that most proposals have an answer; whether one is kept
 * is decided by executing it ({@link GeneratedWorld}): empty or degenerate results, and ties at an
 * {@code ORDER BY … LIMIT} cut (found with the proposal's {@link Candidate#tieProbe()}), are rejected.
 * Stateless.
 */
final class QuestionTemplates {
  private QuestionTemplates() {}

  /**
   * A proposed question.
   *
   * @param kind its template kind
   * @param sql the gold query
   * @param question the question in words
   * @param evidence what a reader needs beyond the schema (a formula, how dates are written), or empty
   * @param tieProbe for an {@code ORDER BY … LIMIT k} query: a query giving the ordering keys of the first
   *     {@code k + 1} rows, to reject ties at the cut; null otherwise
   * @param limit the {@code k} of the cut; 0 without one
   */
  record Candidate(QuestionKind kind, String sql, String question, String evidence, String tieProbe, int limit) {}

  /** A proposal of {@code kind} for {@code domain}, or empty when the domain has nothing to ask it about. */
  static Optional<Candidate> propose(QuestionKind kind, DomainSpec domain, Instance data, SplittableRandom rng) {
    Proposer p = new Proposer(domain, data, rng);
    List<Function<Proposer, Candidate>> variants = switch (kind) {
      case FILTER -> List.of(Proposer::filterCategory, Proposer::filterNumber, Proposer::filterBoth);
      case JOIN -> List.of(Proposer::joinChildren, Proposer::joinCount, Proposer::joinParents);
      case GROUP_HAVING -> List.of(Proposer::havingChildren, Proposer::havingCategoryCount, Proposer::havingAverage);
      case ORDER_LIMIT -> List.of(Proposer::orderTop, Proposer::orderBottom, Proposer::orderMostChildren);
      case NESTED -> List.of(Proposer::nestedAboveAverage, Proposer::nestedNoChildren, Proposer::nestedMax,
          Proposer::nestedIn);
      case DATE -> List.of(Proposer::dateYearCount, Proposer::dateBefore, Proposer::dateBetween, Proposer::dateLatest);
      case RATIO -> List.of(Proposer::ratioPercentage, Proposer::ratioOfSums, Proposer::ratioPerRow);
    };
    List<Function<Proposer, Candidate>> order = new ArrayList<>(variants);
    for (int i = order.size() - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      order.set(i, order.set(j, order.get(i)));
    }
    for (Function<Proposer, Candidate> v : order) {
      Candidate c = v.apply(p);
      if (c != null) {
        return Optional.of(new Candidate(kind, c.sql(), c.question(), c.evidence(), c.tieProbe(), c.limit()));
      }
    }
    return Optional.empty();
  }

  /** One proposal's state: the domain, the first instance's data and the random stream. */
  private static final class Proposer {
    private final DomainSpec domain;
    private final Instance data;
    private final SplittableRandom rng;
    private final Set<String> evidence = new LinkedHashSet<>();

    Proposer(DomainSpec domain, Instance data, SplittableRandom rng) {
      this.domain = domain;
      this.data = data;
      this.rng = rng;
    }

    // ---- filter ----

    Candidate filterCategory() {
      TableSpec t = table(tb -> !tb.of(Kind.CATEGORY).isEmpty());
      ColumnSpec c = pick(t.of(Kind.CATEGORY));
      Object v = existing(t, c);
      if (v == null) {
        return null;
      }
      String sql = "SELECT " + col(t.label()) + " FROM " + t.name() + " WHERE " + col(c) + " = " + literal(v);
      return candidate(sql, say(
          "List the " + t.labelPlural() + " of all " + t.plural() + " whose " + c.phrase() + " is " + v + ".",
          "Which " + t.plural() + " have " + v + " as their " + c.phrase() + "? Give their " + t.labelPlural() + ".",
          "What are the " + t.labelPlural() + " of the " + t.plural() + " with " + c.phrase() + " " + v + "?"));
    }

    Candidate filterNumber() {
      TableSpec t = table(tb -> !tb.numbers().isEmpty());
      ColumnSpec n = pick(t.numbers());
      Object x = existing(t, n);
      if (x == null) {
        return null;
      }
      String sql = "SELECT " + col(t.label()) + " FROM " + t.name() + " WHERE " + col(n) + " > " + literal(x);
      x = text(x);
      return candidate(sql, say(
          "List the " + t.labelPlural() + " of " + t.plural() + " with a " + n.phrase() + " greater than " + x + ".",
          "Which " + t.plural() + " have a " + n.phrase() + " above " + x + "? Give their " + t.labelPlural() + ".",
          "Show the " + t.labelPlural() + " of every " + t.singular() + " whose " + n.phrase() + " exceeds " + x + "."));
    }

    Candidate filterBoth() {
      TableSpec t = table(tb -> !tb.of(Kind.CATEGORY).isEmpty() && !tb.numbers().isEmpty());
      if (t == null) {
        return null;
      }
      ColumnSpec c = pick(t.of(Kind.CATEGORY));
      ColumnSpec n = pick(t.numbers());
      Object[] row = pickRow(t, r -> r[t.index(c)] != null && r[t.index(n)] != null);
      if (row == null) {
        return null;
      }
      Object v = row[t.index(c)];
      Object x = lower(n, row[t.index(n)]);
      String sql = "SELECT " + col(t.label()) + " FROM " + t.name() + " WHERE " + col(c) + " = " + literal(v) + " AND "
          + col(n) + " >= " + literal(x);
      x = text(x);
      return candidate(sql, say(
          "Which " + t.plural() + " have " + c.phrase() + " " + v + " and a " + n.phrase() + " of at least " + x
              + "? List their " + t.labelPlural() + ".",
          "List the " + t.labelPlural() + " of " + t.plural() + " whose " + c.phrase() + " is " + v + " and whose "
              + n.phrase() + " is " + x + " or more."));
    }

    // ---- join ----

    Candidate joinChildren() {
      Link l = link(pl -> !pl.parent.of(Kind.CATEGORY).isEmpty());
      if (l == null) {
        return null;
      }
      ColumnSpec c = pick(l.parent.of(Kind.CATEGORY));
      Object v = existing(l.parent, c);
      if (v == null) {
        return null;
      }
      String sql = "SELECT T1." + col(l.child.label()) + " FROM " + l.join() + " WHERE T2." + col(c) + " = " + literal(v);
      return candidate(sql, say(
          "List the " + l.child.labelPlural() + " of " + l.child.plural() + " whose " + l.ref.phrase() + " has "
              + c.phrase() + " " + v + ".",
          "Which " + l.child.plural() + " have a " + l.ref.phrase() + " whose " + c.phrase() + " is " + v
              + "? Give their " + l.child.labelPlural() + ".",
          "Give the " + l.child.labelPlural() + " of the " + l.child.plural() + " linked to a " + l.ref.phrase()
              + " with " + c.phrase() + " " + v + "."));
    }

    Candidate joinCount() {
      Link l = link(pl -> !pl.parent.of(Kind.CATEGORY).isEmpty());
      if (l == null) {
        return null;
      }
      ColumnSpec c = pick(l.parent.of(Kind.CATEGORY));
      Object v = existing(l.parent, c);
      if (v == null) {
        return null;
      }
      String sql = "SELECT COUNT(*) FROM " + l.join() + " WHERE T2." + col(c) + " = " + literal(v);
      return candidate(sql, say(
          "How many " + l.child.plural() + " have a " + l.ref.phrase() + " whose " + c.phrase() + " is " + v + "?",
          "Count the " + l.child.plural() + " whose " + l.ref.phrase() + " has " + c.phrase() + " " + v + "."));
    }

    Candidate joinParents() {
      Link l = link(pl -> !pl.child.of(Kind.CATEGORY).isEmpty());
      if (l == null) {
        return null;
      }
      ColumnSpec c = pick(l.child.of(Kind.CATEGORY));
      Object v = existing(l.child, c);
      if (v == null) {
        return null;
      }
      String sql = "SELECT DISTINCT T2." + col(l.parent.label()) + " FROM " + l.join() + " WHERE T1." + col(c) + " = "
          + literal(v);
      return candidate(sql, say(
          "Which " + l.parent.plural() + " have at least one of their " + l.ref.relation() + " with " + c.phrase()
              + " " + v + "? Give their " + l.parent.labelPlural() + ".",
          "List the " + l.parent.labelPlural() + " of " + l.parent.plural() + " that are the " + l.ref.phrase()
              + " of some " + l.child.singular() + " whose " + c.phrase() + " is " + v + "."));
    }

    // ---- group by, having ----

    Candidate havingChildren() {
      Link l = link(pl -> true);
      int n = 2 + rng.nextInt(3);
      String sql = "SELECT T2." + col(l.parent.label()) + " FROM " + l.join() + " GROUP BY T2." + col(l.parent.id())
          + " HAVING COUNT(*) > " + n;
      return candidate(sql, say(
          "Which " + l.parent.plural() + " have more than " + n + " " + l.ref.relation() + "? List their "
              + l.parent.labelPlural() + ".",
          "List the " + l.parent.labelPlural() + " of the " + l.parent.plural() + " with over " + n + " "
              + l.ref.relation() + "."));
    }

    Candidate havingCategoryCount() {
      TableSpec t = table(tb -> !tb.of(Kind.CATEGORY).isEmpty());
      ColumnSpec c = pick(t.of(Kind.CATEGORY));
      int n = 2 + rng.nextInt(Math.max(1, data.of(t.name()).size() / 4));
      String sql = "SELECT " + col(c) + ", COUNT(*) FROM " + t.name() + " GROUP BY " + col(c) + " HAVING COUNT(*) >= " + n;
      return candidate(sql, say(
          "For each " + c.phrase() + " shared by at least " + n + " " + t.plural() + ", give the " + c.phrase()
              + " and the number of " + t.plural() + ".",
          "Which " + c.phrase() + " values occur in " + n + " or more " + t.plural()
              + "? Show each with how many " + t.plural() + " have it."));
    }

    Candidate havingAverage() {
      TableSpec t = table(tb -> !tb.of(Kind.CATEGORY).isEmpty() && !tb.numbers().isEmpty());
      if (t == null) {
        return null;
      }
      ColumnSpec c = pick(t.of(Kind.CATEGORY));
      ColumnSpec n = pick(t.numbers());
      Object x = existing(t, n);
      if (x == null) {
        return null;
      }
      String sql = "SELECT " + col(c) + ", AVG(" + col(n) + ") FROM " + t.name() + " GROUP BY " + col(c)
          + " HAVING AVG(" + col(n) + ") > " + literal(x);
      x = text(x);
      return candidate(sql, say(
          "Which " + c.phrase() + " values have an average " + n.phrase() + " above " + x + " among their "
              + t.plural() + "? Give each with that average.",
          "For every " + c.phrase() + " whose " + t.plural() + " average more than " + x + " in " + n.phrase()
              + ", show the " + c.phrase() + " and the average " + n.phrase() + "."));
    }

    // ---- order by, limit ----

    Candidate orderTop() {
      TableSpec t = table(tb -> !tb.numbers().isEmpty());
      ColumnSpec n = pick(t.numbers());
      int k = rng.nextInt(3) == 0 ? 3 : 1;
      String from = " FROM " + t.name() + " ORDER BY " + col(n) + " DESC LIMIT ";
      String sql = "SELECT " + col(t.label()) + from + k;
      String q = k == 1
          ? say("Which " + t.singular() + " has the highest " + n.phrase() + "? Give its " + t.labelSingular() + ".",
              "What is the " + t.labelSingular() + " of the " + t.singular() + " with the largest " + n.phrase() + "?")
          : say("List the " + t.labelPlural() + " of the " + k + " " + t.plural() + " with the highest " + n.phrase()
              + ".", "Name the top " + k + " " + t.plural() + " by " + n.phrase() + ".");
      return new Candidate(null, sql, q, evidence(), "SELECT " + col(n) + from + (k + 1), k);
    }

    Candidate orderBottom() {
      TableSpec t = table(tb -> !tb.numbers().isEmpty());
      ColumnSpec n = pick(t.numbers());
      int k = rng.nextInt(3) == 0 ? 3 : 1;
      String where = n.nullRate() > 0 ? " WHERE " + col(n) + " IS NOT NULL" : "";
      if (n.nullRate() > 0) {
        evidence.add("ignore " + t.plural() + " whose " + n.phrase() + " is missing (NULL)");
      }
      String from = " FROM " + t.name() + where + " ORDER BY " + col(n) + " ASC LIMIT ";
      String sql = "SELECT " + col(t.label()) + from + k;
      String q = k == 1
          ? say("Which " + t.singular() + " has the lowest " + n.phrase() + "? Give its " + t.labelSingular() + ".",
              "What is the " + t.labelSingular() + " of the " + t.singular() + " with the smallest " + n.phrase() + "?")
          : say("List the " + t.labelPlural() + " of the " + k + " " + t.plural() + " with the lowest " + n.phrase()
              + ".", "Name the " + k + " " + t.plural() + " with the smallest " + n.phrase() + ".");
      return new Candidate(null, sql, q, evidence(), "SELECT " + col(n) + from + (k + 1), k);
    }

    Candidate orderMostChildren() {
      Link l = link(pl -> true);
      String from = " FROM " + l.join() + " GROUP BY T2." + col(l.parent.id()) + " ORDER BY COUNT(*) DESC LIMIT ";
      String sql = "SELECT T2." + col(l.parent.label()) + from + 1;
      return new Candidate(null, sql, say(
          "Which " + l.parent.singular() + " has the most " + l.ref.relation() + "? Give its "
              + l.parent.labelSingular() + ".",
          "What is the " + l.parent.labelSingular() + " of the " + l.parent.singular() + " with the largest number of "
              + l.ref.relation() + "?"), evidence(), "SELECT COUNT(*)" + from + 2, 1);
    }

    // ---- nested ----

    Candidate nestedAboveAverage() {
      TableSpec t = table(tb -> !tb.numbers().isEmpty());
      ColumnSpec n = pick(t.numbers());
      String sql = "SELECT " + col(t.label()) + " FROM " + t.name() + " WHERE " + col(n) + " > (SELECT AVG(" + col(n)
          + ") FROM " + t.name() + ")";
      return candidate(sql, say(
          "Which " + t.plural() + " have a " + n.phrase() + " above the average " + n.phrase() + " of all "
              + t.plural() + "? List their " + t.labelPlural() + ".",
          "List the " + t.labelPlural() + " of " + t.plural() + " whose " + n.phrase() + " is higher than average."));
    }

    Candidate nestedNoChildren() {
      Link l = link(pl -> true);
      String sql = "SELECT " + col(l.parent.label()) + " FROM " + l.parent.name() + " WHERE " + col(l.parent.id())
          + " NOT IN (SELECT " + col(l.ref) + " FROM " + l.child.name() + ")";
      return candidate(sql, say(
          "Which " + l.parent.plural() + " have no " + l.ref.relation() + "? Give their " + l.parent.labelPlural() + ".",
          "List the " + l.parent.labelPlural() + " of " + l.parent.plural() + " without any " + l.ref.relation() + "."));
    }

    Candidate nestedMax() {
      TableSpec t = table(tb -> !tb.numbers().isEmpty());
      ColumnSpec n = pick(t.numbers());
      String sql = "SELECT " + col(t.label()) + " FROM " + t.name() + " WHERE " + col(n) + " = (SELECT MAX(" + col(n)
          + ") FROM " + t.name() + ")";
      return candidate(sql, say(
          "Which " + t.plural() + " share the highest " + n.phrase() + "? List all their " + t.labelPlural() + ".",
          "List the " + t.labelPlural() + " of every " + t.singular() + " whose " + n.phrase()
              + " equals the maximum " + n.phrase() + "."));
    }

    Candidate nestedIn() {
      Link l = link(pl -> !pl.child.of(Kind.CATEGORY).isEmpty());
      if (l == null) {
        return null;
      }
      ColumnSpec c = pick(l.child.of(Kind.CATEGORY));
      Object v = existing(l.child, c);
      if (v == null) {
        return null;
      }
      String sql = "SELECT " + col(l.parent.label()) + " FROM " + l.parent.name() + " WHERE " + col(l.parent.id())
          + " IN (SELECT " + col(l.ref) + " FROM " + l.child.name() + " WHERE " + col(c) + " = " + literal(v) + ")";
      return candidate(sql, say(
          "Give the " + l.parent.labelPlural() + " of " + l.parent.plural() + " with at least one of their "
              + l.ref.relation() + " having " + c.phrase() + " " + v + ".",
          "Which " + l.parent.plural() + " appear as " + l.ref.phrase() + " of a " + l.child.singular() + " with "
              + c.phrase() + " " + v + "? List their " + l.parent.labelPlural() + "."));
    }

    // ---- dates ----

    Candidate dateYearCount() {
      TableSpec t = table(tb -> !tb.of(Kind.DATE).isEmpty());
      ColumnSpec d = pick(t.of(Kind.DATE));
      Object day = existing(t, d);
      if (day == null) {
        return null;
      }
      String year = day.toString().substring(0, 4);
      dateEvidence(d);
      String sql = "SELECT COUNT(*) FROM " + t.name() + " WHERE strftime('%Y', " + col(d) + ") = '" + year + "'";
      return candidate(sql, say(
          "How many " + t.plural() + " have a " + d.phrase() + " in " + year + "?",
          "Count the " + t.plural() + " whose " + d.phrase() + " falls in the year " + year + "."));
    }

    Candidate dateBefore() {
      TableSpec t = table(tb -> !tb.of(Kind.DATE).isEmpty());
      ColumnSpec d = pick(t.of(Kind.DATE));
      Object day = existing(t, d);
      if (day == null) {
        return null;
      }
      dateEvidence(d);
      String sql = "SELECT " + col(t.label()) + " FROM " + t.name() + " WHERE " + col(d) + " < " + literal(day);
      return candidate(sql, say(
          "List the " + t.labelPlural() + " of " + t.plural() + " with a " + d.phrase() + " before " + day + ".",
          "Which " + t.plural() + " have a " + d.phrase() + " earlier than " + day + "? Give their "
              + t.labelPlural() + "."));
    }

    Candidate dateBetween() {
      TableSpec t = table(tb -> !tb.of(Kind.DATE).isEmpty());
      ColumnSpec d = pick(t.of(Kind.DATE));
      Object day = existing(t, d);
      if (day == null) {
        return null;
      }
      LocalDate from = LocalDate.parse(day.toString()).minusDays(rng.nextInt(90));
      LocalDate to = from.plusDays(30 + rng.nextInt(150));
      dateEvidence(d);
      String sql = "SELECT " + col(t.label()) + " FROM " + t.name() + " WHERE " + col(d) + " BETWEEN '" + from + "' AND '"
          + to + "'";
      return candidate(sql, say(
          "Which " + t.plural() + " have a " + d.phrase() + " between " + from + " and " + to + ", both included? Give "
              + "their " + t.labelPlural() + ".",
          "List the " + t.labelPlural() + " of " + t.plural() + " whose " + d.phrase() + " is from " + from + " to "
              + to + "."));
    }

    Candidate dateLatest() {
      TableSpec t = table(tb -> !tb.of(Kind.DATE).isEmpty());
      ColumnSpec d = pick(t.of(Kind.DATE));
      dateEvidence(d);
      String from = " FROM " + t.name() + " ORDER BY " + col(d) + " DESC LIMIT ";
      return new Candidate(null, "SELECT " + col(t.label()) + from + 1, say(
          "Which " + t.singular() + " has the most recent " + d.phrase() + "? Give its " + t.labelSingular() + ".",
          "What is the " + t.labelSingular() + " of the " + t.singular() + " with the latest " + d.phrase() + "?"),
          evidence(), "SELECT " + col(d) + from + 2, 1);
    }

    // ---- ratios ----

    Candidate ratioPercentage() {
      TableSpec t = table(tb -> !tb.of(Kind.CATEGORY).isEmpty());
      ColumnSpec c = pick(t.of(Kind.CATEGORY));
      Object v = existing(t, c);
      if (v == null) {
        return null;
      }
      evidence.add("percentage = COUNT(" + t.plural() + " where " + col(c) + " = " + literal(v) + ") * 100 / COUNT(all "
          + t.plural() + ")");
      String sql = "SELECT CAST(SUM(CASE WHEN " + col(c) + " = " + literal(v) + " THEN 1 ELSE 0 END) AS REAL) * 100 / "
          + "COUNT(*) FROM " + t.name();
      return candidate(sql, say(
          "What percentage of " + t.plural() + " have " + c.phrase() + " " + v + "?",
          "Among all " + t.plural() + ", what percentage has " + v + " as its " + c.phrase() + "?"));
    }

    Candidate ratioOfSums() {
      TableSpec t = table(tb -> tb.ratio() != null && !tb.of(Kind.CATEGORY).isEmpty());
      if (t == null) {
        return null;
      }
      ColumnSpec c = pick(t.of(Kind.CATEGORY));
      Object v = existing(t, c);
      if (v == null) {
        return null;
      }
      ColumnSpec num = t.column(t.ratio().numerator());
      ColumnSpec den = t.column(t.ratio().denominator());
      evidence.add(t.ratio().phrase() + " = SUM(" + col(num) + ") / SUM(" + col(den) + ")");
      String sql = "SELECT CAST(SUM(" + col(num) + ") AS REAL) / SUM(" + col(den) + ") FROM " + t.name() + " WHERE "
          + col(c) + " = " + literal(v);
      return candidate(sql, say(
          "What is the " + t.ratio().phrase() + " of the " + t.plural() + " with " + c.phrase() + " " + v + "?",
          "Over all " + t.plural() + " whose " + c.phrase() + " is " + v + ", what is the " + t.ratio().phrase() + "?"));
    }

    Candidate ratioPerRow() {
      TableSpec t = table(tb -> tb.ratio() != null);
      if (t == null) {
        return null;
      }
      ColumnSpec num = t.column(t.ratio().numerator());
      ColumnSpec den = t.column(t.ratio().denominator());
      Object[] row = pickRow(t, r -> r[t.index(num)] != null && r[t.index(den)] instanceof Number d && d.doubleValue() != 0);
      if (row == null) {
        return null;
      }
      double ratio = ((Number) row[t.index(num)]).doubleValue() / ((Number) row[t.index(den)]).doubleValue();
      String x = String.format(Locale.ROOT, "%.3f", Math.floor(ratio * 1000) / 1000 - 0.001);
      evidence.add(t.ratio().phrase() + " = " + col(num) + " / " + col(den));
      String sql = "SELECT " + col(t.label()) + " FROM " + t.name() + " WHERE CAST(" + col(num) + " AS REAL) / "
          + col(den) + " > " + x;
      return candidate(sql, say(
          "Which " + t.plural() + " have a " + t.ratio().phrase() + " above " + x + "? List their "
              + t.labelPlural() + ".",
          "List the " + t.labelPlural() + " of " + t.plural() + " whose " + t.ratio().phrase() + " exceeds " + x + "."));
    }

    // ---- helpers ----

    private Candidate candidate(String sql, String question) {
      return new Candidate(null, sql, question, evidence(), null, 0);
    }

    /** The evidence gathered so far, with what each quoted column of the query means. */
    private String evidence() {
      return String.join("; ", evidence);
    }

    private String col(ColumnSpec c) {
      if (!c.sql().equals(c.name())) {
        evidence.add(c.phrase() + " refers to " + c.sql());
      }
      return c.sql();
    }

    private void dateEvidence(ColumnSpec d) {
      evidence.add(d.phrase() + " is stored as text in the form YYYY-MM-DD");
    }

    private String say(String... variants) {
      return variants[rng.nextInt(variants.length)];
    }

    private <T> T pick(List<T> items) {
      return items.get(rng.nextInt(items.size()));
    }

    /** A random table that satisfies {@code test}, or null. */
    private TableSpec table(java.util.function.Predicate<TableSpec> test) {
      List<TableSpec> fit = domain.tables().stream().filter(test).toList();
      return fit.isEmpty() ? null : pick(fit);
    }

    /** A foreign key: the child table that holds it, the column, the parent table it points to. */
    private record Link(TableSpec child, ColumnSpec ref, TableSpec parent) {
      String join() {
        return child.name() + " AS T1 JOIN " + parent.name() + " AS T2 ON T1." + ref.sql() + " = T2." + parent.id().sql();
      }
    }

    private Link link(java.util.function.Predicate<Link> test) {
      List<Link> links = new ArrayList<>();
      for (TableSpec t : domain.tables()) {
        for (ColumnSpec r : t.of(Kind.REFERENCE)) {
          Link l = new Link(t, r, domain.table(r.references()));
          if (test.test(l)) {
            links.add(l);
          }
        }
      }
      if (links.isEmpty()) {
        return null;
      }
      return pick(links);
    }

    /** A value of {@code column} that some row of the first instance holds, or null when none does. */
    private Object existing(TableSpec t, ColumnSpec column) {
      Object[] row = pickRow(t, r -> r[t.index(column)] != null);
      return row == null ? null : row[t.index(column)];
    }

    private Object[] pickRow(TableSpec t, java.util.function.Predicate<Object[]> test) {
      List<Object[]> rows = data.of(t.name()).stream().filter(test).toList();
      return rows.isEmpty() ? null : rows.get(rng.nextInt(rows.size()));
    }

    /** A round number just under {@code value}, as a threshold that keeps the row. */
    private static Object lower(ColumnSpec n, Object value) {
      if (n.kind() == Kind.REAL) {
        return Math.floor(((Number) value).doubleValue());
      }
      return value;
    }

    /** A value as a question writes it: like its SQL literal, without quotes. */
    private static String text(Object v) {
      return v instanceof String s ? s : literal(v);
    }

    private static String literal(Object v) {
      if (v instanceof String s) {
        return "'" + s.replace("'", "''") + "'";
      }
      if (v instanceof Double d && d == Math.rint(d)) {
        return String.valueOf(d.longValue());
      }
      return String.valueOf(v);
    }
  }
}
