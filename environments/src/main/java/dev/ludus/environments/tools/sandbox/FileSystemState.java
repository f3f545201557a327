package dev.ludus.environments.tools.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The in-memory file system's state, in the shape of BFCL's {@code GorillaFileSystem}: a tree of directories
 * and text files under a named root, and the current directory (private: the state check compares the tree
 * only). Nothing here is a real path; names are map keys. Immutable.
 *
 * @param rootName the name of the root directory (BFCL's scenario root, e.g. {@code alex})
 * @param root the tree
 * @param cwd the current directory as names from the root (empty at the root)
 */
public record FileSystemState(String rootName, Dir root, List<String> cwd) implements SandboxState {
  public FileSystemState {
    Objects.requireNonNull(rootName, "rootName");
    Objects.requireNonNull(root, "root");
    cwd = List.copyOf(cwd);
  }

  /** A file or a directory. */
  public sealed interface Node permits Dir, TextFile {}

  /** A directory: its entries by name, sorted. */
  public record Dir(SortedMap<String, Node> entries) implements Node {
    public Dir {
      entries = Collections.unmodifiableSortedMap(new TreeMap<>(entries));
    }

    static Dir empty() {
      return new Dir(new TreeMap<>());
    }

    Dir with(String name, Node node) {
      TreeMap<String, Node> m = new TreeMap<>(entries);
      m.put(name, node);
      return new Dir(m);
    }

    Dir without(String name) {
      TreeMap<String, Node> m = new TreeMap<>(entries);
      m.remove(name);
      return new Dir(m);
    }

    int size() {
      int n = 0;
      for (Node e : entries.values()) {
        n += 1 + (e instanceof Dir d ? d.size() : 0);
      }
      return n;
    }
  }

  /** A text file. */
  public record TextFile(String content) implements Node {
    public TextFile {
      Objects.requireNonNull(content, "content");
    }
  }

  @Override
  public String sandbox() {
    return FileSystemSandbox.NAME;
  }

  /** The directory the agent is in. */
  Dir current() {
    Dir d = dirAt(root, cwd);
    if (d == null) {
      throw new IllegalArgumentException("the current directory " + cwd + " is not a directory of the tree");
    }
    return d;
  }

  /** The directory at {@code path} under {@code from}, or null when there is none. */
  static Dir dirAt(Dir from, List<String> path) {
    Dir d = from;
    for (String name : path) {
      if (!(d.entries().get(name) instanceof Dir next)) {
        return null;
      }
      d = next;
    }
    return d;
  }

  /** This state with the current directory replaced by {@code dir}, rebuilt up to the root. */
  FileSystemState withCurrent(Dir dir) {
    return new FileSystemState(rootName, replace(root, cwd, 0, dir), cwd);
  }

  FileSystemState withCwd(List<String> path) {
    return new FileSystemState(rootName, root, path);
  }

  private static Dir replace(Dir at, List<String> path, int i, Dir dir) {
    if (i == path.size()) {
      return dir;
    }
    String name = path.get(i);
    return at.with(name, replace((Dir) at.entries().get(name), path, i + 1, dir));
  }

  String pwd() {
    return "/" + rootName + (cwd.isEmpty() ? "" : "/" + String.join("/", cwd));
  }

  @Override
  public JsonNode toJson() {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ObjectNode top = out.putObject("root").putObject(rootName);
    top.put("type", "directory");
    top.set("contents", contents(root));
    out.set("cwd", JsonNodeFactory.instance.arrayNode().addAll(cwd.stream()
        .map(JsonNodeFactory.instance::textNode).toList()));
    return out;
  }

  @Override
  public JsonNode publicJson() {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.putObject("root").putObject(rootName).set("contents", contents(root));
    return out;
  }

  private static ObjectNode contents(Dir dir) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, Node> e : dir.entries().entrySet()) {
      ObjectNode n = out.putObject(e.getKey());
      if (e.getValue() instanceof Dir d) {
        n.put("type", "directory");
        n.set("contents", contents(d));
      } else {
        n.put("type", "file");
        n.put("content", ((TextFile) e.getValue()).content());
      }
    }
    return out;
  }

  /** Reads BFCL's scenario shape: {@code {"root": {NAME: {"type": "directory", "contents": {...}}}}}. */
  static FileSystemState fromJson(JsonNode json) {
    JsonNode root = json.path("root");
    if (!root.isObject() || root.size() != 1) {
      throw new IllegalArgumentException("a file system needs {\"root\": {NAME: {\"type\": \"directory\", ...}}}");
    }
    String name = root.fieldNames().next();
    Dir tree = readDir(root.get(name).path("contents"));
    List<String> cwd = new java.util.ArrayList<>();
    json.path("cwd").forEach(n -> cwd.add(n.asText()));
    FileSystemState s = new FileSystemState(name, tree, cwd);
    s.current(); // fails on a cwd that is not in the tree
    return s;
  }

  private static Dir readDir(JsonNode contents) {
    TreeMap<String, Node> m = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : contents.properties()) {
      JsonNode n = e.getValue();
      String type = n.path("type").asText();
      if (type.equals("directory")) {
        m.put(e.getKey(), readDir(n.path("contents")));
      } else if (type.equals("file")) {
        m.put(e.getKey(), new TextFile(n.path("content").asText("")));
      } else {
        throw new IllegalArgumentException("entry '" + e.getKey() + "' has type '" + type
            + "'; allowed: directory, file");
      }
    }
    return new Dir(m);
  }
}
