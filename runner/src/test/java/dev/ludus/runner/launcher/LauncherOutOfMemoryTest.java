package dev.ludus.runner.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, finding 7: out of memory froze the JVM (a dead thread, the rest waiting) until kill -9. The real
 * {@code ludus} launcher script, copied beside a jar whose main class runs out of heap that way, must end the
 * process with a non-zero exit code and a clear message on standard error.
 */
class LauncherOutOfMemoryTest {

  @Test
  void theLauncherExitsWithAMessageWhenTheHeapRunsOutInsteadOfHanging(@TempDir Path root) throws Exception {
    Path script = Path.of("..", "ludus").toAbsolutePath().normalize();
    assumeTrue(Files.isRegularFile(script), "the launcher script is at the repository root: " + script);
    assumeTrue(Files.isExecutable(Path.of("/bin/bash")) || Files.isExecutable(Path.of("/usr/bin/bash")), "bash");
    Path copy = root.resolve("ludus");
    Files.copy(script, copy);
    Path jar = Files.createDirectories(root.resolve("runner/target")).resolve("runner-0.1.0-SNAPSHOT.jar");
    writeProbeJar(jar);

    ProcessBuilder pb = new ProcessBuilder("bash", copy.toString());
    pb.environment().put("LUDUS_NO_BUILD", "1");
    pb.environment().put("LUDUS_JAVA_OPTS", "-Xmx32m -Xms8m");
    pb.redirectErrorStream(false);
    Process p = pb.start();
    p.getOutputStream().close();
    boolean ended = p.waitFor(90, TimeUnit.SECONDS);
    if (!ended) {
      p.destroyForcibly();
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(ended, "the process ended by itself (no hang); out: " + out + " err: " + err);
    assertTrue(out.contains("started"), "the probe ran: " + out + err);
    assertEquals(3, p.exitValue(), "ExitOnOutOfMemoryError's exit code; err: " + err);
    assertTrue(err.contains("ludus: out of memory: the Java heap is full"), err);
    assertTrue(err.contains("LUDUS_JAVA_OPTS=-Xmx"), "it says what to do: " + err);
  }

  private static void writeProbeJar(Path jar) throws Exception {
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, OomProbe.class.getName());
    String entry = OomProbe.class.getName().replace('.', '/') + ".class";
    try (OutputStream os = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(os, m);
        InputStream in = OomProbe.class.getClassLoader().getResourceAsStream(entry)) {
      j.putNextEntry(new JarEntry(entry));
      in.transferTo(j);
      j.closeEntry();
    }
  }
}
