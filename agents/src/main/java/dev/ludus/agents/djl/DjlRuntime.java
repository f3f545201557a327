package dev.ludus.agents.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.pytorch.jni.JniUtils;
import dev.ludus.api.ConfigException;
import java.util.Locale;

/**
 * Where the DJL engine and devices come from. DJL runs offline here: the PyTorch native library is read from
 * the {@code pytorch-native-cpu} jar on the class path and unpacked into DJL's cache directory; the system
 * property {@code ai.djl.offline=true} (set unless the user already set it) forbids every download, so a
 * missing native library is an error rather than a fetch from the network.
 */
final class DjlRuntime {
  static final String ENGINE = "PyTorch";

  private DjlRuntime() {}

  /** Forbids downloads before anything in DJL looks for a native library. */
  static void offline() {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
  }

  /** The PyTorch engine, loaded offline. */
  static Engine engine() {
    offline();
    try {
      return Engine.getEngine(ENGINE);
    } catch (EngineException | IllegalArgumentException e) {
      throw new IllegalStateException("the DJL PyTorch engine could not start offline (is pytorch-native-cpu on the "
          + "class path?): " + e.getMessage(), e);
    }
  }

  /**
   * The device named in configuration: {@code auto} is the engine's default device (the first GPU when
   * PyTorch sees one, else the CPU), {@code cpu} the CPU, {@code gpu} the first GPU (an error when none is
   * visible).
   */
  static Device device(String name) {
    Engine engine = engine();
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "auto" -> engine.defaultDevice();
      case "cpu" -> Device.cpu();
      case "gpu" -> {
        if (engine.getGpuCount() == 0) {
          throw new ConfigException("device 'gpu' was asked for but PyTorch sees no GPU; allowed: auto, cpu, gpu");
        }
        yield Device.gpu();
      }
      default -> throw new ConfigException("device '" + name + "' is not known; allowed: auto, cpu, gpu");
    };
  }

  /**
   * Turns autograd recording off on the current thread until closed, then restores it. PyTorch's grad mode is
   * thread-local and on by default in new threads, so every inference entry point runs inside one of these;
   * otherwise each forward pass would build a backward graph it never uses.
   */
  static GradOff noGrad() {
    boolean before = JniUtils.isGradMode();
    if (before) {
      JniUtils.setGradMode(false);
    }
    return new GradOff(before);
  }

  /** Restores the grad mode a {@link #noGrad()} found. */
  static final class GradOff implements AutoCloseable {
    private final boolean before;

    private GradOff(boolean before) {
      this.before = before;
    }

    @Override
    public void close() {
      if (before) {
        JniUtils.setGradMode(true);
      }
    }
  }
}
