package dev.ludus.simulators.persuasion;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * A persuadee in PersuasionForGood's trait schema ({@code full_info.csv}: demographics, Big Five, ten Schwartz
 * values, five moral foundations, rational and intuitive decision style; traits on a 1–5 scale), with the profile
 * facts Refine-and-Imitate's knowledge base asks about, and optionally a fixed hidden propensity and resistance.
 * Immutable; validated on construction. Read from JSON with the field names shown.
 *
 * @param id a unique name, e.g. {@code p4g-07}
 * @param demographics P4G's demographic columns (free text, shown nowhere but in the persona signal)
 * @param bigFive {@code big_five}
 * @param values Schwartz values
 * @param moral moral foundations
 * @param decisionStyle {@code decision_style}
 * @param heardOfOrg {@code heard_of_org}: whether the persuadee knows Save the Children
 * @param haveKids {@code have_kids}
 * @param donatedBefore {@code donated_before}: whether the persuadee has given to a charity before
 * @param propensity the hidden propensity to donate at the start, in [0, 1]; null to derive it from the traits
 * @param resistance the hidden resistance to persuasion, in [0, 1]; null to derive it from the traits
 */
public record Persona(String id, Demographics demographics, @JsonProperty("big_five") BigFive bigFive, Values values,
    Moral moral, @JsonProperty("decision_style") DecisionStyle decisionStyle,
    @JsonProperty("heard_of_org") boolean heardOfOrg, @JsonProperty("have_kids") boolean haveKids,
    @JsonProperty("donated_before") boolean donatedBefore, Double propensity, Double resistance) {
  public Persona {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("a persona needs an id");
    }
    String at = "persona " + id + ": ";
    demographics = demographics == null ? new Demographics(0, "", "", "", "", "", "", "", "") : demographics;
    Objects.requireNonNull(bigFive, at + "big_five is missing");
    Objects.requireNonNull(values, at + "values is missing");
    Objects.requireNonNull(moral, at + "moral is missing");
    Objects.requireNonNull(decisionStyle, at + "decision_style is missing");
    unit(at + "propensity", propensity);
    unit(at + "resistance", resistance);
  }

  private static void unit(String field, Double v) {
    if (v != null && !(v >= 0 && v <= 1)) {
      throw new IllegalArgumentException(field + " must be in [0, 1], was " + v);
    }
  }

  /** A trait on P4G's 1–5 scale mapped to [0, 1]. */
  static double unit(double trait) {
    return Math.max(0, Math.min(1, (trait - 1) / 4));
  }

  static double trait(String name, double v) {
    if (!(v >= 1 && v <= 5)) {
      throw new IllegalArgumentException(name + " must be on the 1-5 scale, was " + v);
    }
    return v;
  }

  /** P4G's demographic columns. */
  public record Demographics(int age, String sex, String race, String edu, String marital, String employment,
      String income, String religion, String ideology) {}

  /** The Big Five, 1–5. */
  public record BigFive(double extrovert, double agreeable, double conscientious, double neurotic, double open) {
    public BigFive {
      trait("extrovert", extrovert);
      trait("agreeable", agreeable);
      trait("conscientious", conscientious);
      trait("neurotic", neurotic);
      trait("open", open);
    }
  }

  /** Schwartz's ten basic values, 1–5. */
  public record Values(double conform, double tradition, double benevolence, double universalism,
      @JsonProperty("self_direction") double selfDirection, double stimulation, double hedonism, double achievement,
      double power, double security) {
    public Values {
      trait("conform", conform);
      trait("tradition", tradition);
      trait("benevolence", benevolence);
      trait("universalism", universalism);
      trait("self_direction", selfDirection);
      trait("stimulation", stimulation);
      trait("hedonism", hedonism);
      trait("achievement", achievement);
      trait("power", power);
      trait("security", security);
    }
  }

  /** Moral foundations, 1–5. */
  public record Moral(double care, double fairness, double loyalty, double authority, double purity) {
    public Moral {
      trait("care", care);
      trait("fairness", fairness);
      trait("loyalty", loyalty);
      trait("authority", authority);
      trait("purity", purity);
    }
  }

  /** Rational and intuitive decision style, 1–5. */
  public record DecisionStyle(double rational, double intuitive) {
    public DecisionStyle {
      trait("rational", rational);
      trait("intuitive", intuitive);
    }
  }
}
