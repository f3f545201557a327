package dev.ludus.api.testing;

import dev.ludus.api.Registry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Registries with a few more providers than the class path registers, as a plugin jar would add them:
 * a {@code META-INF/services} file in a directory of its own, seen through a class loader over the test's,
 * so that a test's providers never leak into other tests' registries.
 */
public final class TestRegistries {
  private TestRegistries() {}

  /** The class path's registry plus {@code providers}, registered under {@code service}. */
  public static Registry with(Class<?> service, Class<?>... providers) {
    try {
      Path dir = Files.createTempDirectory("ludus-registry");
      dir.toFile().deleteOnExit();
      Path services = Files.createDirectories(dir.resolve("META-INF/services"));
      Path file = Files.writeString(services.resolve(service.getName()),
          Arrays.stream(providers).map(Class::getName).collect(Collectors.joining("\n", "", "\n")));
      file.toFile().deleteOnExit();
      services.toFile().deleteOnExit();
      services.getParent().toFile().deleteOnExit();
      ClassLoader parent = providers.length > 0 ? providers[0].getClassLoader() : TestRegistries.class.getClassLoader();
      return Registry.load(new URLClassLoader(new URL[] {dir.toUri().toURL()}, parent));
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
