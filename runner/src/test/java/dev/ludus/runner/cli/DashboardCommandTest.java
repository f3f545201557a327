package dev.ludus.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ludus dashboard} on the command line: bad input exits 2 naming it; otherwise it serves until stopped. */
class DashboardCommandTest {
  private static final Pattern URL = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/");

  private static int run(StringWriter out, StringWriter err, String... args) {
    return Ludus.run(args, null, null, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void aRunDirectoryThatDoesNotExistExitsWith2NamingIt(@TempDir Path dir) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertEquals(2, run(out, err, "dashboard", dir.resolve("nope").toString()));
    assertTrue(err.toString().contains("nope' is not a directory"), err.toString());
  }

  @Test
  void aPortOutOfRangeExitsWith2NamingWhatIsAllowed(@TempDir Path dir) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertEquals(2, run(out, err, "dashboard", dir.toString(), "--port", "70000"));
    assertTrue(err.toString().contains("port 70000 is out of range; allowed: 0 (any free port) to 65535"),
        err.toString());
  }

  @Test
  void aPortInUseExitsWith2SayingToChooseAnother(@TempDir Path dir) throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      assertEquals(2, run(out, err, "dashboard", dir.toString(), "--port", Integer.toString(taken.getLocalPort())));
      assertTrue(err.toString().contains("choose another --port"), err.toString());
    }
  }

  @Test
  void itServesOnLoopbackUntilStopped(@TempDir Path dir) throws Exception {
    Files.writeString(Files.createDirectories(dir.resolve("run")).resolve("metrics.jsonl"), "{\"success\":0.5}\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    AtomicInteger code = new AtomicInteger(-1);
    Thread serving = new Thread(() -> code.set(run(out, err, "dashboard", dir.toString(), "--port", "0")));
    serving.start();
    Matcher m = URL.matcher("");
    for (int i = 0; i < 300 && !m.reset(out.toString()).find(); i++) {
      Thread.sleep(100);
    }
    assertTrue(m.reset(out.toString()).find(), "it prints its address: " + out + err);
    int port = Integer.parseInt(m.group(1));
    HttpResponse<String> runs = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/api/runs")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, runs.statusCode());
    assertTrue(runs.body().contains("\"id\":\"run\""), runs.body());
    serving.interrupt();
    serving.join(30_000);
    assertEquals(0, code.get(), err.toString());
    assertThrows(IOException.class, () -> new Socket("127.0.0.1", port).close(), "the port is closed after");
  }
}
