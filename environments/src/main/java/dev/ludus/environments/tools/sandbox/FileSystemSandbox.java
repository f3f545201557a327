package dev.ludus.environments.tools.sandbox;

import static dev.ludus.environments.tools.sandbox.Intent.pick;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.environments.tools.sandbox.FileSystemState.Dir;
import dev.ludus.environments.tools.sandbox.FileSystemState.Node;
import dev.ludus.environments.tools.sandbox.FileSystemState.TextFile;
import dev.ludus.environments.tools.sandbox.Intent.Call;
import dev.ludus.environments.tools.sandbox.Intent.Fact;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A file system in memory, modelled on BFCL's {@code GorillaFileSystem}: {@code pwd}, {@code ls}, {@code cd} (one
 * level at a time, {@code ..} or {@code /}), {@code mkdir}, {@code touch}, {@code echo}, {@code cat}, {@code rm},
 * {@code mv}, {@code cp}, {@code grep} (lines containing a text), {@code wc}. Names are single components (no
 * slashes; a path cannot even be written), and the tree is bounded ({@value #MAX_NODES} entries), so no call can
 * reach outside the tree or grow without limit. Stateless; the state is a {@link FileSystemState}.
 */
final class FileSystemSandbox extends Sandbox<FileSystemState> {
  static final String NAME = "files";
  static final int MAX_NODES = 200;
  static final int MAX_CONTENT = 2000;

  private final List<Operation<FileSystemState>> operations = List.of(
      Operation.of("pwd", "Return the current working directory path.", Params.none(),
          (s, a) -> out(s, obj().put("current_working_directory", s.pwd()))),
      Operation.of("ls", "List the contents of the current directory.",
          Params.of().bool("a", "Show hidden files and directories (names starting with a dot).", false),
          FileSystemSandbox::ls),
      Operation.of("cd", "Change the current directory to a folder in it, to its parent with '..', or to the root"
              + " with '/'. One level at a time.",
          Params.of().pattern("folder", "The folder to change to: a folder name, '..' or '/'.", true,
              "^(\\.\\.|/|[A-Za-z0-9][A-Za-z0-9._-]{0,63})$"),
          FileSystemSandbox::cd),
      Operation.of("mkdir", "Create a new directory in the current directory.",
          Params.of().name("dir_name", "The name of the new directory.", true), FileSystemSandbox::mkdir),
      Operation.of("touch", "Create a new empty file in the current directory.",
          Params.of().name("file_name", "The name of the new file.", true), FileSystemSandbox::touch),
      Operation.of("echo", "Write content to an existing file in the current directory (replacing what it held),"
              + " or display it when no file is given.",
          Params.of().string("content", "The content to write or display.", true, MAX_CONTENT)
              .name("file_name", "The file in the current directory to write to.", false),
          FileSystemSandbox::echo),
      Operation.of("cat", "Display the contents of a file in the current directory.",
          Params.of().name("file_name", "The file to display.", true), FileSystemSandbox::cat),
      Operation.of("rm", "Remove a file or directory from the current directory.",
          Params.of().name("file_name", "The file or directory to remove.", true), FileSystemSandbox::rm),
      Operation.of("mv", "Move a file or directory into a directory of the current directory, or rename it.",
          Params.of().name("source", "The file or directory to move.", true)
              .name("destination", "A directory of the current directory to move into, or the new name.", true),
          (s, a) -> move(s, a, false)),
      Operation.of("cp", "Copy a file or directory into a directory of the current directory, or to a new name.",
          Params.of().name("source", "The file or directory to copy.", true)
              .name("destination", "A directory of the current directory to copy into, or the new name.", true),
          (s, a) -> move(s, a, true)),
      Operation.of("grep", "Find the lines of a file in the current directory that contain a text.",
          Params.of().name("file_name", "The file to search.", true)
              .string("pattern", "The text to look for.", true, 200),
          FileSystemSandbox::grep),
      Operation.of("wc", "Count the lines, words or characters of a file in the current directory.",
          Params.of().name("file_name", "The file to count.", true)
              .choice("mode", "What to count: l (lines), w (words) or c (characters).", false, "l", "w", "c")
              .withDefault("mode", F.textNode("l")),
          FileSystemSandbox::wc));

  @Override
  String name() {
    return NAME;
  }

  @Override
  String description() {
    return "A file system: navigate folders, create, read, write, move, copy and search files.";
  }

  @Override
  Class<FileSystemState> stateType() {
    return FileSystemState.class;
  }

  @Override
  List<Operation<FileSystemState>> operations() {
    return operations;
  }

  private static Operation.Outcome<FileSystemState> out(FileSystemState s, ObjectNode result) {
    return new Operation.Outcome<>(s, result);
  }

  private static Operation.Outcome<FileSystemState> ls(FileSystemState s, Args a) {
    boolean all = a.bool("a", false);
    ArrayNode names = F.arrayNode();
    s.current().entries().keySet().stream().filter(n -> all || !n.startsWith(".")).forEach(names::add);
    ObjectNode r = obj();
    r.set("current_directory_content", names);
    return out(s, r);
  }

  private static Operation.Outcome<FileSystemState> cd(FileSystemState s, Args a) {
    String folder = a.str("folder");
    List<String> path = new ArrayList<>(s.cwd());
    if (folder.equals("/")) {
      path.clear();
    } else if (folder.equals("..")) {
      if (path.isEmpty()) {
        throw new SandboxError("cd: ..: the current directory is already the root");
      }
      path.remove(path.size() - 1);
    } else if (s.current().entries().get(folder) instanceof Dir) {
      path.add(folder);
    } else {
      throw new SandboxError("cd: " + folder + ": No such directory");
    }
    FileSystemState next = s.withCwd(path);
    return out(next, obj().put("current_working_directory", next.pwd()));
  }

  private static void checkRoom(FileSystemState s, int more) {
    if (s.root().size() + more > MAX_NODES) {
      throw new SandboxError("no space left: the file system holds at most " + MAX_NODES + " entries");
    }
  }

  private static Operation.Outcome<FileSystemState> mkdir(FileSystemState s, Args a) {
    String name = a.str("dir_name");
    if (s.current().entries().containsKey(name)) {
      throw new SandboxError("mkdir: cannot create directory '" + name + "': File exists");
    }
    checkRoom(s, 1);
    return out(s.withCurrent(s.current().with(name, Dir.empty())), obj().put("created_directory", name));
  }

  private static Operation.Outcome<FileSystemState> touch(FileSystemState s, Args a) {
    String name = a.str("file_name");
    if (s.current().entries().containsKey(name)) {
      throw new SandboxError("touch: cannot touch '" + name + "': File exists");
    }
    checkRoom(s, 1);
    return out(s.withCurrent(s.current().with(name, new TextFile(""))), obj().put("created_file", name));
  }

  private static Operation.Outcome<FileSystemState> echo(FileSystemState s, Args a) {
    String content = a.str("content");
    Optional<String> file = a.optStr("file_name");
    if (file.isEmpty()) {
      return out(s, obj().put("terminal_output", content));
    }
    Node n = s.current().entries().get(file.get());
    if (n == null) {
      throw new SandboxError("echo: cannot write to '" + file.get() + "': No such file");
    }
    if (n instanceof Dir) {
      throw new SandboxError("echo: '" + file.get() + "' is a directory");
    }
    return out(s.withCurrent(s.current().with(file.get(), new TextFile(content))),
        obj().put("written_file", file.get()).put("characters", content.length()));
  }

  private static TextFile file(FileSystemState s, String name, String command) {
    Node n = s.current().entries().get(name);
    if (n == null) {
      throw new SandboxError(command + ": " + name + ": No such file or directory");
    }
    if (n instanceof Dir) {
      throw new SandboxError(command + ": " + name + ": Is a directory");
    }
    return (TextFile) n;
  }

  private static Operation.Outcome<FileSystemState> cat(FileSystemState s, Args a) {
    return out(s, obj().put("file_content", file(s, a.str("file_name"), "cat").content()));
  }

  private static Operation.Outcome<FileSystemState> rm(FileSystemState s, Args a) {
    String name = a.str("file_name");
    if (!s.current().entries().containsKey(name)) {
      throw new SandboxError("rm: cannot remove '" + name + "': No such file or directory");
    }
    return out(s.withCurrent(s.current().without(name)), obj().put("removed", name));
  }

  private static Operation.Outcome<FileSystemState> move(FileSystemState s, Args a, boolean copy) {
    String command = copy ? "cp" : "mv";
    String source = a.str("source");
    String destination = a.str("destination");
    Dir here = s.current();
    Node node = here.entries().get(source);
    if (node == null) {
      throw new SandboxError(command + ": cannot stat '" + source + "': No such file or directory");
    }
    if (source.equals(destination)) {
      throw new SandboxError(command + ": '" + source + "' and '" + destination + "' are the same");
    }
    if (copy) {
      checkRoom(s, 1 + (node instanceof Dir d ? d.size() : 0));
    }
    Node target = here.entries().get(destination);
    Dir next;
    String where;
    if (target instanceof Dir into) {
      if (into.entries().containsKey(source)) {
        throw new SandboxError(command + ": '" + destination + "/" + source + "' already exists");
      }
      Dir base = copy ? here : here.without(source);
      next = base.with(destination, into.with(source, node));
      where = destination + "/" + source;
    } else if (target != null) {
      throw new SandboxError(command + ": '" + destination + "' already exists");
    } else {
      Dir base = copy ? here : here.without(source);
      next = base.with(destination, node);
      where = destination;
    }
    return out(s.withCurrent(next), obj().put(copy ? "copied_to" : "moved_to", where));
  }

  private static Operation.Outcome<FileSystemState> grep(FileSystemState s, Args a) {
    String pattern = a.str("pattern");
    ArrayNode lines = F.arrayNode();
    for (String line : file(s, a.str("file_name"), "grep").content().split("\n", -1)) {
      if (line.contains(pattern)) {
        lines.add(line);
      }
    }
    ObjectNode r = obj();
    r.set("matching_lines", lines);
    return out(s, r);
  }

  private static Operation.Outcome<FileSystemState> wc(FileSystemState s, Args a) {
    String content = file(s, a.str("file_name"), "wc").content();
    String mode = a.optStr("mode").orElse("l");
    long count;
    String type;
    switch (mode) {
      case "l" -> {
        count = content.isEmpty() ? 0 : content.split("\n", -1).length;
        type = "lines";
      }
      case "w" -> {
        count = content.isBlank() ? 0 : content.trim().split("\\s+").length;
        type = "words";
      }
      default -> {
        count = content.length();
        type = "characters";
      }
    }
    return out(s, obj().put("count", count).put("type", type));
  }

  // ---- sampling ----

  @Override
  FileSystemState sample(SplittableRandom r) {
    TreeMap<String, Node> top = new TreeMap<>();
    List<String> folders = shuffled(Words.FOLDERS, r);
    int dirs = 2 + r.nextInt(3);
    for (int i = 0; i < dirs; i++) {
      TreeMap<String, Node> inside = new TreeMap<>();
      for (String f : shuffled(Words.FILES, r).subList(0, 1 + r.nextInt(3))) {
        inside.put(f, new TextFile(text(r)));
      }
      top.put(folders.get(i), new Dir(inside));
    }
    for (String f : shuffled(Words.FILES, r).subList(0, 2 + r.nextInt(3))) {
      top.put(f, new TextFile(text(r)));
    }
    return new FileSystemState(pick(r, Words.OWNERS), new Dir(top), List.of());
  }

  private static String text(SplittableRandom r) {
    List<String> lines = shuffled(Words.LINES, r).subList(0, 1 + r.nextInt(4));
    return String.join("\n", lines);
  }

  @Override
  FileSystemState fromJson(JsonNode json) {
    return FileSystemState.fromJson(json);
  }

  // ---- intents ----

  private static List<String> files(FileSystemState s) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Node> e : s.current().entries().entrySet()) {
      if (e.getValue() instanceof TextFile) {
        out.add(e.getKey());
      }
    }
    return out;
  }

  private static List<String> dirs(FileSystemState s) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Node> e : s.current().entries().entrySet()) {
      if (e.getValue() instanceof Dir) {
        out.add(e.getKey());
      }
    }
    return out;
  }

  private static Optional<String> fresh(FileSystemState s, List<String> bank, SplittableRandom r) {
    List<String> free = bank.stream().filter(n -> !s.current().entries().containsKey(n)).toList();
    return free.isEmpty() ? Optional.empty() : Optional.of(pick(r, free));
  }

  private static Optional<Intent> none() {
    return Optional.empty();
  }

  private final List<Intent.Template<FileSystemState>> intents = List.of(
      (s, r) -> {
        List<String> fs = files(s);
        if (fs.isEmpty()) {
          return none();
        }
        String f = pick(r, fs);
        return Optional.of(Intent.single(pick(r, "Show me what is in " + f + ".", "Please display the file " + f + ".",
            "What does " + f + " say?"), call("cat", "file_name", f)));
      },
      (s, r) -> fresh(s, Words.NEW_FOLDERS, r).map(d -> Intent.single(
          pick(r, "Create a folder called " + d + ".", "Make a new directory named " + d + " here."),
          call("mkdir", "dir_name", d)).withholding(pick(r, "Create a new folder here for me.",
              "I need a new directory in this folder."),
          new Fact("folder name", List.of("name", "call"), "Call it " + d + "."))),
      (s, r) -> fresh(s, Words.NEW_NAMES, r).map(f -> Intent.single(
          pick(r, "Create an empty file named " + f + ".", "Make a new blank file called " + f + "."),
          call("touch", "file_name", f)).withholding("Create a new empty file here.",
          new Fact("file name", List.of("name", "call"), "Name it " + f + "."))),
      (s, r) -> {
        List<String> fs = files(s);
        if (fs.isEmpty()) {
          return none();
        }
        String f = pick(r, fs);
        String[] mode = pick(r, new String[] {"l", "lines"}, new String[] {"w", "words"},
            new String[] {"c", "characters"});
        return Optional.of(Intent.single("How many " + mode[1] + " are in " + f + "?",
            call("wc", "file_name", f, "mode", mode[0])));
      },
      (s, r) -> {
        List<String> fs = files(s).stream()
            .filter(f -> !((TextFile) s.current().entries().get(f)).content().isBlank()).toList();
        if (fs.isEmpty()) {
          return none();
        }
        String f = pick(r, fs);
        String[] words = ((TextFile) s.current().entries().get(f)).content().split("[^A-Za-z]+");
        List<String> longWords = java.util.Arrays.stream(words).filter(w -> w.length() >= 5).toList();
        if (longWords.isEmpty()) {
          return none();
        }
        String w = pick(r, longWords);
        return Optional.of(Intent.single(pick(r, "Which lines of " + f + " mention '" + w + "'?",
            "Search " + f + " for the word '" + w + "'."), call("grep", "file_name", f, "pattern", w)));
      },
      (s, r) -> {
        List<String> fs = files(s);
        if (fs.isEmpty()) {
          return none();
        }
        String f = pick(r, fs);
        return Optional.of(Intent.single(pick(r, "Delete " + f + ".", "Remove the file " + f + ", I don't need it."),
            call("rm", "file_name", f)));
      },
      (s, r) -> {
        List<String> fs = files(s);
        Optional<String> to = fresh(s, Words.NEW_NAMES, r);
        if (fs.isEmpty() || to.isEmpty()) {
          return none();
        }
        String f = pick(r, fs);
        return Optional.of(Intent.single("Rename " + f + " to " + to.get() + ".",
            call("mv", "source", f, "destination", to.get())).withholding("Rename " + f + " for me.",
            new Fact("new name", List.of("name", "rename", "call"), "The new name is " + to.get() + ".")));
      },
      (s, r) -> {
        List<String> fs = files(s);
        List<String> ds = dirs(s);
        if (fs.isEmpty() || ds.isEmpty()) {
          return none();
        }
        String f = pick(r, fs);
        String d = pick(r, ds);
        if (((Dir) s.current().entries().get(d)).entries().containsKey(f)) {
          return none();
        }
        return Optional.of(Intent.single(pick(r, "Move " + f + " into the " + d + " folder.",
            "Put " + f + " in " + d + "."), call("mv", "source", f, "destination", d)));
      },
      (s, r) -> {
        List<String> fs = files(s);
        Optional<String> to = fresh(s, Words.NEW_NAMES, r);
        if (fs.isEmpty() || to.isEmpty()) {
          return none();
        }
        String f = pick(r, fs);
        return Optional.of(Intent.single("Make a copy of " + f + " called " + to.get() + ".",
            call("cp", "source", f, "destination", to.get())));
      },
      (s, r) -> {
        List<String> fs = files(s);
        if (fs.isEmpty()) {
          return none();
        }
        String f = pick(r, fs);
        String t = pick(r, Words.LINES);
        return Optional.of(Intent.single("Replace the contents of " + f + " with: " + t,
            call("echo", "content", t, "file_name", f)).withholding("Replace the contents of " + f + ".",
            new Fact("new content", List.of("content", "text", "write"), "Write this: " + t)));
      },
      (s, r) -> fresh(s, Words.NEW_NAMES, r).map(f -> {
        String t = pick(r, Words.LINES);
        return Intent.of("Create a file " + f + " that says: " + t,
            List.of(List.of(call("touch", "file_name", f), call("echo", "content", t, "file_name", f))));
      }),
      (s, r) -> {
        List<String> ds = dirs(s).stream().filter(d -> ((Dir) s.current().entries().get(d)).entries().values()
            .stream().anyMatch(n -> n instanceof TextFile)).toList();
        if (ds.isEmpty()) {
          return none();
        }
        String d = pick(r, ds);
        List<String> inside = ((Dir) s.current().entries().get(d)).entries().entrySet().stream()
            .filter(e -> e.getValue() instanceof TextFile).map(Map.Entry::getKey).toList();
        String f = pick(r, inside);
        return Optional.of(Intent.of("Go into " + d + " and show me " + f + ".",
            List.of(List.of(call("cd", "folder", d), call("cat", "file_name", f)))));
      },
      (s, r) -> {
        List<String> free = shuffled(Words.NEW_FOLDERS, r).stream()
            .filter(n -> !s.current().entries().containsKey(n)).toList();
        if (free.size() < 2) {
          return none();
        }
        List<String> names = free.subList(0, 2 + r.nextInt(Math.min(2, free.size() - 1)));
        return Optional.of(Intent.of("Create these folders: " + String.join(", ", names) + ".",
            List.of(names.stream().map(n -> call("mkdir", "dir_name", n)).toList())));
      },
      (s, r) -> {
        List<String> fs = shuffled(files(s), r);
        if (fs.size() < 2) {
          return none();
        }
        List<String> names = fs.subList(0, 2);
        return Optional.of(Intent.of("Show me " + names.get(0) + " and " + names.get(1) + ".",
            List.of(names.stream().map(n -> call("cat", "file_name", n)).toList())));
      });

  @Override
  List<Intent.Template<FileSystemState>> intents() {
    return intents;
  }
}
