package dev.ludus.environments.tools.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.ToolCall;
import dev.ludus.api.tools.ToolCallValidator;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A sandbox can never touch the real file system or the network. */
class SandboxIsolationTest {
  /**
   * What sandbox code may not refer to: files, sockets, processes, reflection, class loading. (Lambdas and string
   * concatenation make every class file name {@code java/lang/invoke/MethodHandles$Lookup}: not on the list.)
   */
  static final List<String> FORBIDDEN = List.of("java/io/File", "java/nio/file/", "java/nio/channels/", "java/net/",
      "java/lang/ProcessBuilder", "java/lang/Runtime", "java/lang/reflect/", "java/lang/ClassLoader",
      "sun/misc/Unsafe", "jdk/internal/", "java/lang/System");

  private static List<Path> classFiles(Class<?> anchor) throws IOException, URISyntaxException {
    Path root = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path dir = root.resolve(anchor.getPackageName().replace('.', '/'));
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".class")).sorted().toList();
    }
  }

  private static List<String> forbiddenReferences(Path classFile) throws IOException {
    String bytes = new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1);
    List<String> found = new ArrayList<>();
    for (String f : FORBIDDEN) {
      // a package prefix matches anything under it; a class name only itself (java/lang/Runtime is not
      // java/lang/RuntimeException, which every unchecked exception refers to)
      String pattern = java.util.regex.Pattern.quote(f) + (f.endsWith("/") ? "" : "(?![A-Za-z0-9_$])");
      if (java.util.regex.Pattern.compile(pattern).matcher(bytes).find()) {
        found.add(f);
      }
    }
    return found;
  }

  @Test
  void noSandboxClassRefersToFilesSocketsProcessesOrReflection() throws Exception {
    List<Path> files = classFiles(World.class);
    assertTrue(files.size() >= 30, "expected the sandbox package's classes, found " + files.size());
    for (Path f : files) {
      assertEquals(List.of(), forbiddenReferences(f), f.getFileName() + " refers to a forbidden class");
    }
  }

  @Test
  void theScanSeesReferencesWhereTheyAre() throws Exception {
    // the environment's dataset readers do read files: the same scan must see it there
    Path loader = classFiles(dev.ludus.environments.tools.FunctionCallingProvider.class).stream()
        .filter(p -> p.getFileName().toString().equals("TaskFields.class")).findFirst().orElseThrow();
    assertTrue(forbiddenReferences(loader).contains("java/nio/file/"));
  }

  private static ObjectNode args(String... kv) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    for (int i = 0; i < kv.length; i += 2) {
      o.put(kv[i], kv[i + 1]);
    }
    return o;
  }

  @Test
  void pathsCannotLeaveTheTree() {
    World w = World.sample(List.of("files"), new SplittableRandom(3));
    for (String escape : List.of("..", "/etc", "../..", "/", "etc/passwd")) {
      try {
        World after = w.call("cd", args("folder", escape)).world();
        // "/" and ".." stay inside the tree: the path is never above the root
        assertTrue(after.publicJson().equals(w.publicJson()));
      } catch (SandboxError expected) {
        assertFalse(expected.getMessage().isBlank());
      }
    }
    assertThrows(SandboxError.class, () -> w.call("cat", args("file_name", "/etc/passwd")));
    assertThrows(SandboxError.class, () -> w.call("cat", args("file_name", "../../etc/hostname")));
  }

  @Test
  void theSchemaRefusesPathsWhereANameIsExpected() {
    for (String bad : List.of("../secret.txt", "/etc/passwd", "a/b", ".hidden", "x".repeat(200))) {
      var spec = Sandboxes.spec("cat").orElseThrow();
      var v = ToolCallValidator.shared().validate(ToolCall.of("c", "cat",
          "{\"file_name\": " + JsonNodeFactory.instance.textNode(bad) + "}"), List.of(spec));
      assertFalse(v.valid(), bad);
    }
  }

  @Test
  void writingAFileLeavesTheRealFileSystemAlone(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
    String name = "ludus-probe-" + System.nanoTime() + ".txt";
    World w = World.sample(List.of("files"), new SplittableRandom(9));
    World after = w.call("touch", args("file_name", name)).world();
    after = after.call("echo", args("content", "hello", "file_name", name)).world();
    assertEquals("{\"file_content\":\"hello\"}", after.call("cat", args("file_name", name)).content());
    Path cwd = Path.of("").toAbsolutePath();
    assertFalse(Files.exists(cwd.resolve(name)), "a file appeared in the working directory");
    assertFalse(Files.exists(Path.of(System.getProperty("java.io.tmpdir")).resolve(name)));
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(0, s.count());
    }
  }
}
