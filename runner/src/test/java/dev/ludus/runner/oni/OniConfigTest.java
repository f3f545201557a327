package dev.ludus.runner.oni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ludus.api.ConfigException;
import org.junit.jupiter.api.Test;

class OniConfigTest {
  @Test
  void leftOutSettingsTakeTheirDefaultsAndTheEndpointIsTheAnnotator() {
    var cls = new OnlineClsRewardModelShaperProvider.Config(" ", null, 0, 0, 0, 0, 0, 0, 3);
    assertEquals("annotator", cls.endpoint());
    assertEquals(8, cls.minLabels());
    assertEquals(32, cls.hidden());
    assertEquals(256, cls.maxBatch());
    var motif = new OnlineMotifShaperProvider.Config("judge", "action", 0.3, 0, 0, 0, 0, 0, 0, 3);
    assertEquals("judge", motif.endpoint());
    assertEquals(4096, motif.window());
    assertEquals(8, motif.updates());
    assertEquals("ngrams", motif.encoder());
  }

  @Test
  void aSettingOutOfRangeIsRefusedNamingTheShaperTheFieldAndTheRange() {
    ConfigException hidden = assertThrows(ConfigException.class,
        () -> new OnlineClsRewardModelShaperProvider.Config(null, null, 0, 0, 2000, 0, 0, 0, 3));
    assertEquals("online-cls-reward-model: hidden must be in [1, 1024], was 2000", hidden.getMessage());
    ConfigException rate = assertThrows(ConfigException.class,
        () -> new OnlineMotifShaperProvider.Config(null, null, 0.3, 0, 0, 0, 1.5, 0, 0, 3));
    assertEquals("online-motif: learningRate must be in (0, 1], was 1.5", rate.getMessage());
    ConfigException pairs = assertThrows(ConfigException.class,
        () -> new OnlineMotifShaperProvider.Config(null, null, 0.3, 0, 17, 0, 0, 0, 0, 3));
    assertEquals("online-motif: pairsPerMessage must be in [0, 16], was 17", pairs.getMessage());
    ConfigException encoder = assertThrows(ConfigException.class,
        () -> new OnlineMotifShaperProvider.Config(null, null, 0.3, 0, 0, 0, 0, 0, 0, 3, "bert"));
    assertEquals("online-motif: encoder must be ngrams or char-cnn, was 'bert'", encoder.getMessage());
    ConfigException beta = assertThrows(ConfigException.class,
        () -> new OnlineClsShaperProvider.Config(null, null, 0, -1));
    assertEquals("online-cls: countExponent must be in [0, 16] (0: no division by the message's count in the "
        + "episode; ONI's beta_count_exponent is 3), was -1.0", beta.getMessage());
  }

  @Test
  void theCountExponentLeftOutOfTheYamlIsOnisThree() {
    var tree = dev.ludus.api.ConfigBinder.tree(java.util.Map.of("unlabeled", 0.5));
    assertEquals(3.0, dev.ludus.api.ConfigBinder.bind(new OnlineClsShaperProvider(), tree).countExponent());
    assertEquals(3.0, new OnlineMotifShaperProvider().defaultConfig().countExponent());
    assertEquals(3.0, new OnlineClsRewardModelShaperProvider().defaultConfig().countExponent());
  }
}
