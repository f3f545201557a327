package dev.ludus.environments.tools.sandbox;

import static dev.ludus.environments.tools.sandbox.Intent.pick;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Arithmetic and statistics, after BFCL's {@code MathAPI}: stateless, bounded inputs (|x| ≤ 10⁹, exponents in
 * [−20, 20], at most 50 numbers), results rounded to {@value #DIGITS} significant digits so that equal calls give
 * equal results. Stateless; the state is the empty {@link MathState}.
 */
final class MathSandbox extends Sandbox<MathState> {
  static final String NAME = "math";
  static final int DIGITS = 10;
  private static final double LIMIT = 1e9;

  private static Params two(String a, String b) {
    return Params.of().number(a, "The first number.", true, -LIMIT, LIMIT)
        .number(b, "The second number.", true, -LIMIT, LIMIT);
  }

  private static Params list() {
    return Params.of().numbers("numbers", "The numbers.", 50, -LIMIT, LIMIT);
  }

  private final List<Operation<MathState>> operations = List.of(
      Operation.of("add", "Add two numbers.", two("a", "b"), (s, a) -> result(s, a.real("a") + a.real("b"))),
      Operation.of("subtract", "Subtract b from a.", two("a", "b"), (s, a) -> result(s, a.real("a") - a.real("b"))),
      Operation.of("multiply", "Multiply two numbers.", two("a", "b"), (s, a) -> result(s, a.real("a") * a.real("b"))),
      Operation.of("divide", "Divide a by b.", two("a", "b"), (s, a) -> {
        if (a.real("b") == 0) {
          throw new SandboxError("cannot divide by zero");
        }
        return result(s, a.real("a") / a.real("b"));
      }),
      Operation.of("power", "Raise a base to an exponent.",
          Params.of().number("base", "The base.", true, -1e6, 1e6).number("exponent", "The exponent.", true, -20, 20),
          (s, a) -> result(s, Math.pow(a.real("base"), a.real("exponent")))),
      Operation.of("square_root", "The square root of a number.",
          Params.of().number("number", "A number at least 0.", true, 0, LIMIT),
          (s, a) -> result(s, Math.sqrt(a.real("number")))),
      Operation.of("mean", "The mean of a list of numbers.", list(),
          (s, a) -> result(s, a.reals("numbers").stream().mapToDouble(Double::doubleValue).average().orElse(0))),
      Operation.of("standard_deviation", "The population standard deviation of a list of numbers.", list(),
          (s, a) -> {
            List<Double> xs = a.reals("numbers");
            double m = xs.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            double v = xs.stream().mapToDouble(x -> (x - m) * (x - m)).sum() / xs.size();
            return result(s, Math.sqrt(v));
          }),
      Operation.of("round_number", "Round a number to a number of decimal places.",
          Params.of().number("number", "The number.", true, -LIMIT, LIMIT)
              .integer("decimal_places", "Decimal places, 0 to 10.", false, 0, 10)
              .withDefault("decimal_places", F.numberNode(0)),
          (s, a) -> {
            int places = (int) (long) a.optInteger("decimal_places").orElse(0L);
            return result(s, a.number("number").setScale(places, RoundingMode.HALF_UP).doubleValue());
          }),
      Operation.of("percentage", "What percentage part is of whole.",
          Params.of().number("part", "The part.", true, -LIMIT, LIMIT).number("whole", "The whole.", true, -LIMIT, LIMIT),
          (s, a) -> {
            if (a.real("whole") == 0) {
              throw new SandboxError("the whole cannot be zero");
            }
            return result(s, 100 * a.real("part") / a.real("whole"));
          }),
      Operation.of("max_value", "The largest of a list of numbers.", list(),
          (s, a) -> result(s, a.reals("numbers").stream().mapToDouble(Double::doubleValue).max().orElse(0))),
      Operation.of("min_value", "The smallest of a list of numbers.", list(),
          (s, a) -> result(s, a.reals("numbers").stream().mapToDouble(Double::doubleValue).min().orElse(0))));

  /** {@code x} rounded to {@value #DIGITS} significant digits, as an exact decimal without trailing zeros. */
  static BigDecimal round(double x) {
    if (!Double.isFinite(x)) {
      throw new SandboxError("the result is not a finite number");
    }
    BigDecimal d = new BigDecimal(x).round(new MathContext(DIGITS, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    return d.scale() < 0 ? d.setScale(0) : d;
  }

  private static Operation.Outcome<MathState> result(MathState s, double x) {
    return new Operation.Outcome<>(s, obj().put("result", round(x)));
  }

  @Override
  String name() {
    return NAME;
  }

  @Override
  String description() {
    return "Math: arithmetic, powers, roots, rounding, percentages and statistics.";
  }

  @Override
  Class<MathState> stateType() {
    return MathState.class;
  }

  @Override
  List<Operation<MathState>> operations() {
    return operations;
  }

  @Override
  MathState sample(SplittableRandom random) {
    return new MathState();
  }

  @Override
  MathState fromJson(JsonNode json) {
    return new MathState();
  }

  private static int n(SplittableRandom r) {
    return 2 + r.nextInt(998);
  }

  private static ArrayNode numbers(List<Integer> xs) {
    ArrayNode a = F.arrayNode();
    xs.forEach(a::add);
    return a;
  }

  private static List<Integer> draws(SplittableRandom r, int k) {
    List<Integer> xs = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      xs.add(1 + r.nextInt(99));
    }
    return xs;
  }

  private static String join(List<Integer> xs) {
    return xs.stream().map(String::valueOf).collect(Collectors.joining(", "));
  }

  private static String[] op(SplittableRandom r) {
    return pick(r, new String[] {"add", "the sum of %d and %d"}, new String[] {"subtract", "%d minus %d"},
        new String[] {"multiply", "%d times %d"}, new String[] {"divide", "%d divided by %d"});
  }

  private final List<Intent.Template<MathState>> intents = List.of(
      (s, r) -> {
        String[] op = op(r);
        int a = n(r);
        int b = n(r);
        return Optional.of(Intent.single("What is " + String.format(Locale.ROOT, op[1], a, b) + "?",
            call(op[0], "a", a, "b", b)));
      },
      (s, r) -> {
        int base = 2 + r.nextInt(11);
        int exp = 2 + r.nextInt(6);
        return Optional.of(Intent.single("What is " + base + " to the power of " + exp + "?",
            call("power", "base", base, "exponent", exp)));
      },
      (s, r) -> {
        int x = n(r);
        return Optional.of(Intent.single(pick(r, "What is the square root of " + x + "?",
            "Compute the square root of " + x + "."), call("square_root", "number", x)));
      },
      (s, r) -> {
        List<Integer> xs = draws(r, 3 + r.nextInt(4));
        String[] op = pick(r, new String[] {"mean", "mean"}, new String[] {"standard_deviation", "standard deviation"},
            new String[] {"max_value", "largest value"}, new String[] {"min_value", "smallest value"});
        return Optional.of(Intent.single("What is the " + op[1] + " of " + join(xs) + "?",
            call(op[0], "numbers", numbers(xs))));
      },
      (s, r) -> {
        int part = 1 + r.nextInt(200);
        int whole = part + 1 + r.nextInt(800);
        return Optional.of(Intent.single("What percentage of " + whole + " is " + part + "?",
            call("percentage", "part", part, "whole", whole)));
      },
      (s, r) -> {
        BigDecimal x = BigDecimal.valueOf(r.nextInt(1_000_000), 4);
        int places = 1 + r.nextInt(3);
        return Optional.of(Intent.single("Round " + x.toPlainString() + " to " + places + " decimal places.",
            call("round_number", "number", x, "decimal_places", places)));
      },
      (s, r) -> {
        String[] op = op(r);
        int k = 2 + r.nextInt(2);
        List<String> asks = new ArrayList<>();
        List<Intent.Call> calls = new ArrayList<>();
        for (int i = 0; i < k; i++) {
          int a = n(r);
          int b = n(r);
          asks.add(String.format(Locale.ROOT, op[1], a, b));
          calls.add(call(op[0], "a", a, "b", b));
        }
        return Optional.of(Intent.of("Compute " + String.join(", and ", asks) + ".", List.of(calls)));
      },
      (s, r) -> {
        List<Integer> xs = draws(r, 2 + r.nextInt(2));
        return Optional.of(Intent.of("What are the square roots of " + join(xs) + "?",
            List.of(xs.stream().map(x -> call("square_root", "number", x)).toList())));
      },
      (s, r) -> {
        List<Integer> xs = draws(r, 3 + r.nextInt(3));
        double mean = xs.stream().mapToInt(Integer::intValue).average().orElse(0);
        int places = 1 + r.nextInt(2);
        return Optional.of(Intent.of("What is the mean of " + join(xs) + ", rounded to " + places
            + " decimal places?", List.of(List.of(call("mean", "numbers", numbers(xs))),
            List.of(call("round_number", "number", round(mean), "decimal_places", places)))));
      });

  @Override
  List<Intent.Template<MathState>> intents() {
    return intents;
  }
}
