package dev.ludus.agents.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.ConfigException;
import org.junit.jupiter.api.Test;

/** Device selection, tested without a GPU: what each name selects for a given number of visible GPUs. */
class DeviceChoiceTest {
  @Test
  void namesSelectTheDefaultTheCpuOrAVisibleGpu() {
    assertEquals(DjlRuntime.AUTO, DjlRuntime.choose("auto", 0));
    assertEquals(DjlRuntime.CPU, DjlRuntime.choose("CPU", 2));
    assertEquals(0, DjlRuntime.choose("gpu", 1));
    assertEquals(0, DjlRuntime.choose("gpu:0", 2));
    assertEquals(1, DjlRuntime.choose(" gpu:1 ", 2));
  }

  @Test
  void aGpuThatIsNotVisibleIsRefusedSayingHowManyPyTorchSees() {
    ConfigException none = assertThrows(ConfigException.class, () -> DjlRuntime.choose("gpu", 0));
    assertTrue(none.getMessage().contains("no GPU 0") && none.getMessage().contains("sees 0 GPUs")
        && none.getMessage().contains("Running on a GPU"), none.getMessage());
    ConfigException third = assertThrows(ConfigException.class, () -> DjlRuntime.choose("gpu:2", 2));
    assertTrue(third.getMessage().contains("no GPU 2"), third.getMessage());
  }

  @Test
  void unknownNamesAreRefusedListingTheAllowedOnes() {
    for (String bad : new String[] {"cuda", "gpu:", "gpu:x", "gpu:-1", "gpu:99999", "", "tpu"}) {
      ConfigException e = assertThrows(ConfigException.class, () -> DjlRuntime.choose(bad, 1), bad);
      assertTrue(e.getMessage().contains("allowed: auto, cpu, gpu, gpu:N"), e.getMessage());
    }
  }

  @Test
  void theCpuIsWhatThisMachineGets() {
    assertEquals(ai.djl.Device.cpu(), DjlRuntime.device("cpu"));
  }
}
