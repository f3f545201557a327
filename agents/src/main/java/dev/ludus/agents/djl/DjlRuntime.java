package dev.ludus.agents.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.pytorch.jni.JniUtils;
import dev.ludus.api.ConfigException;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Where the DJL engine and devices come from. DJL runs offline here. PyTorch's {@code LibUtils} finds
 * {@code native/lib/pytorch.properties} of the {@code pytorch-native-cpu} jar on the class path, unpacks
 * {@code libtorch*} from it and the JNI bridge from the {@code pytorch-jni} jar into DJL's cache directory
 * ({@code ~/.djl.ai/pytorch/2.7.1-*-cpu-linux-x86_64}, movable with {@code DJL_CACHE_DIR}) and loads them from
 * there. The system property {@code ai.djl.offline=true} (set here unless the user already set it) forbids
 * every download, so a missing native library is an error rather than a fetch from the network. The Hugging
 * Face tokenizers library is unpacked the same way from its own jar.
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
   * PyTorch sees one, else the CPU), {@code cpu} the CPU, {@code gpu} the first GPU and {@code gpu:N} GPU
   * {@code N} (an error when PyTorch sees no such GPU). See {@link #choose}.
   */
  static Device device(String name) {
    Engine engine = engine();
    int gpu = choose(name, engine.getGpuCount());
    if (gpu == AUTO) {
      return engine.defaultDevice();
    }
    return gpu == CPU ? Device.cpu() : Device.gpu(gpu);
  }

  /** {@link #choose}'s answer for the engine's default device. */
  static final int AUTO = -2;
  /** {@link #choose}'s answer for the CPU. */
  static final int CPU = -1;

  /**
   * Which device {@code name} selects when PyTorch sees {@code gpuCount} GPUs: {@link #AUTO}, {@link #CPU}, or a GPU
   * index. Pure, so the selection is tested on a machine without a GPU. Case-insensitive.
   *
   * @throws ConfigException for an unknown name, or a GPU that is not visible, naming what is allowed
   */
  static int choose(String name, int gpuCount) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    String allowed = "allowed: auto, cpu, gpu, gpu:N (PyTorch sees " + gpuCount + " GPU" + (gpuCount == 1 ? "" : "s")
        + (gpuCount == 0 ? "; a GPU needs PyTorch's CUDA native library, see the README's 'Running on a GPU'" : "")
        + ")";
    switch (n) {
      case "auto":
        return AUTO;
      case "cpu":
        return CPU;
      case "gpu":
        n = "gpu:0";
        break;
      default:
        break;
    }
    if (n.startsWith("gpu:") && n.length() > 4 && n.substring(4).chars().allMatch(c -> c >= '0' && c <= '9')
        && n.length() <= 8) {
      int index = Integer.parseInt(n.substring(4));
      if (index >= gpuCount) {
        throw new ConfigException("device '" + name + "' was asked for but there is no GPU " + index + "; " + allowed);
      }
      return index;
    }
    throw new ConfigException("device '" + name + "' is not known; " + allowed);
  }

  /**
   * Runs {@code body} with autograd recording off on the current thread, then restores the previous mode.
   * PyTorch's grad mode is thread-local and on by default in new threads, so every inference entry point
   * runs through here; otherwise each forward pass would build a backward graph it never uses.
   */
  static <T> T withoutGrad(Supplier<T> body) {
    boolean before = JniUtils.isGradMode();
    if (before) {
      JniUtils.setGradMode(false);
    }
    try {
      return body.get();
    } finally {
      if (before) {
        JniUtils.setGradMode(true);
      }
    }
  }

  /** {@link #withoutGrad(Supplier)} for a body without a result. */
  static void runWithoutGrad(Runnable body) {
    withoutGrad(() -> {
      body.run();
      return null;
    });
  }
}
