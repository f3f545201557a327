package dev.ludus.shaping.transform;

import static dev.ludus.shaping.testing.Groups.column;
import static dev.ludus.shaping.testing.Groups.component;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

class CeilingTransformTest {
  private static final CeilingTransformProvider PROVIDER = new CeilingTransformProvider();

  @Property(tries = 300)
  void rewardsAreCappedAtTheCeilingAndUnchangedBelowIt(@ForAll @DoubleRange(min = -1e6, max = 1e6) double r,
      @ForAll @DoubleRange(min = -10, max = 10) double c) {
    double out = PROVIDER.create(new CeilingTransformProvider.Config(c)).apply(component("a", 1.0, column(r)))[0][0];
    assertEquals(r <= c ? r : c, out, 0.0);
  }

  @Test
  void configNamesTheBadFieldItsValueAndWhatIsAllowed() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new CeilingTransformProvider.Config(Double.POSITIVE_INFINITY));
    assertEquals("ceiling must be a finite number, was Infinity", e.getMessage());
  }

  @Test
  void throughThePipelineOnlyTheTargetedComponentIsCapped() {
    TransformPipeline.assertTargetedThroughPipeline("ceiling", PROVIDER.create(new CeilingTransformProvider.Config(1)),
        "task-1", new double[][] {{3, 0.5}, {Double.NaN}}, new double[][] {{1, 0.5}, {Double.NaN}});
  }
}
