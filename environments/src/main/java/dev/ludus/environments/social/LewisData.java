package dev.ludus.environments.social;

import dev.ludus.api.ConfigException;
import dev.ludus.api.Seeds;
import dev.ludus.api.Task;
import dev.ludus.api.TaskSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the contexts of the original Deal or No Deal data (Lewis et al. 2017, end-to-end-negotiator's
 * {@code data/negotiate/*.txt}). Two line forms are read:
 *
 * <ul>
 *   <li>a dialogue line, {@code <input> 1 4 4 1 1 2 </input> <dialogue> ... </dialogue> <output> ... </output>
 *       <partner_input> 1 0 4 2 1 2 </partner_input>} ({@code train.txt}, {@code val.txt}, {@code test.txt}): the
 *       writer's context and the partner's, each {@code count value} for books, hats and balls; the dialogue and
 *       output are not read;
 *   <li>a bare context of six numbers ({@code selfplay.txt}), two consecutive lines making one negotiation.
 * </ul>
 *
 * The writer's side becomes {@code alice}, the partner's {@code bob}. Each dialogue appears in the original files once
 * from each side; an exact repeat of a (writer, partner) pair is kept once. A line whose two contexts disagree on the
 * counts, or that is neither form, is refused with its line number. Contexts outside the self-play constraints
 * (values summing to 10, 5 to 7 items) are read as they are. Files are read once per path and process (memoized);
 * thread-safe.
 */
final class LewisData {
  private LewisData() {}

  private static final Pattern INPUT = Pattern.compile("<input>([^<]*)</input>");
  private static final Pattern PARTNER = Pattern.compile("<partner_input>([^<]*)</partner_input>");
  private static final Pattern BARE = Pattern.compile("\\s*\\d+(\\s+\\d+){5}\\s*");
  private static final Map<Path, List<Deal>> MEMO = new ConcurrentHashMap<>();

  /** The task fields that carry a loaded context, in the original notation ({@code count value} × 3). */
  static final String INPUT_FIELD = "input";

  static final String PARTNER_FIELD = "partner-input";

  /** The distinct contexts of the file at {@code path}, in file order. */
  static List<Deal> read(Path path) {
    return MEMO.computeIfAbsent(path.toAbsolutePath().normalize(), LewisData::load);
  }

  private static List<Deal> load(Path path) {
    List<String> lines;
    try {
      lines = Files.readAllLines(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException("cannot read the deal-or-no-deal file " + path + ": " + e.getMessage());
    }
    return parse(lines, path.toString());
  }

  /** The distinct contexts of {@code lines}; {@code source} names them in errors. */
  static List<Deal> parse(List<String> lines, String source) {
    Set<Deal> deals = new LinkedHashSet<>();
    String pending = null; // the first of two bare lines
    int pendingLine = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      int number = i + 1;
      Matcher in = INPUT.matcher(line);
      Matcher partner = PARTNER.matcher(line);
      if (in.find() && partner.find()) {
        deals.add(deal(in.group(1), partner.group(1), source, number));
      } else if (BARE.matcher(line).matches()) {
        if (pending == null) {
          pending = line;
          pendingLine = number;
        } else {
          deals.add(deal(pending, line, source, pendingLine));
          pending = null;
        }
      } else {
        throw new ConfigException(source + " line " + number + " is not a Deal or No Deal line: expected '<input> "
            + "c v c v c v </input> ... <partner_input> c v c v c v </partner_input>' or six numbers (selfplay.txt), "
            + "got '" + abbreviate(line) + "'");
      }
    }
    if (pending != null) {
      throw new ConfigException(source + " line " + pendingLine + " is a self-play context without its partner's on "
          + "the next line");
    }
    if (deals.isEmpty()) {
      throw new ConfigException(source + " holds no Deal or No Deal context");
    }
    return List.copyOf(deals);
  }

  /** The deal of two contexts in the original notation; refused with {@code source} and {@code line} if bad. */
  static Deal deal(String writer, String partner, String source, int line) {
    Optional<int[]> a = numbers(writer);
    Optional<int[]> b = numbers(partner);
    if (a.isEmpty() || b.isEmpty()) {
      throw new ConfigException(source + " line " + line + ": a context is six numbers 0 to 100 (count value for "
          + "book, hat, ball), got '" + writer.strip() + "' and '" + partner.strip() + "'");
    }
    int[] x = a.get();
    int[] y = b.get();
    if (x[0] != y[0] || x[2] != y[2] || x[4] != y[4]) {
      throw new ConfigException(source + " line " + line + ": the two contexts disagree on the counts ('"
          + writer.strip() + "' and '" + partner.strip() + "')");
    }
    if (x[0] + x[2] + x[4] == 0) {
      throw new ConfigException(source + " line " + line + ": the context has no items");
    }
    return new Deal(new Split(x[0], x[2], x[4]), new Split(x[1], x[3], x[5]), new Split(y[1], y[3], y[5]));
  }

  private static Optional<int[]> numbers(String text) {
    String[] parts = text.strip().split("\\s+");
    if (parts.length != 6) {
      return Optional.empty();
    }
    int[] out = new int[6];
    for (int i = 0; i < 6; i++) {
      if (!parts[i].matches("\\d{1,3}") || Integer.parseInt(parts[i]) > 100) {
        return Optional.empty();
      }
      out[i] = Integer.parseInt(parts[i]);
    }
    return Optional.of(out);
  }

  /** The task source of a file: the contexts in file order, rotated by the run seed. */
  static TaskSource taskSource(String env, List<Deal> deals) {
    int n = deals.size();
    return (index, runSeed) -> {
      long offset = runSeed == 0 ? 0 : Math.floorMod(Seeds.mix(runSeed, 0xDEA1L), (long) n);
      int row = (int) Math.floorMod(index + offset, (long) n);
      Deal d = deals.get(row);
      return new Task(env + "/lewis-" + row, row, Map.of(INPUT_FIELD, context(d, 0), PARTNER_FIELD, context(d, 1)));
    };
  }

  /** One side's context in the original notation: {@code count value} for book, hat and ball. */
  static String context(Deal d, int seat) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      out.add(String.valueOf(d.counts().get(i)));
      out.add(String.valueOf(d.values(seat).get(i)));
    }
    return String.join(" ", out);
  }

  /** The deal a task carries: its loaded context, else the one generated from its seed. */
  static Deal of(Task task) {
    String in = task.fields().get(INPUT_FIELD);
    String partner = task.fields().get(PARTNER_FIELD);
    if (in != null && partner != null) {
      return deal(in, partner, "task " + task.id(), 0);
    }
    return Deal.generate(task.seed());
  }

  private static String abbreviate(String line) {
    return line.length() <= 80 ? line : line.substring(0, 80) + "...";
  }
}
