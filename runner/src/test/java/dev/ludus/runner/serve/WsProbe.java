package dev.ludus.runner.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.runner.config.Json;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A blocking test client over {@link RawWebSocket}: send a message, take the next reply. */
final class WsProbe implements AutoCloseable {
  final RawWebSocket ws;
  private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
  private final CountDownLatch closed = new CountDownLatch(1);

  private WsProbe(RawWebSocket ws) {
    this.ws = ws;
    ws.textHandler(replies::add).closeHandler(v -> closed.countDown());
  }

  static WsProbe connect(Vertx vertx, int port, String token) throws Exception {
    NetClient net = vertx.createNetClient();
    RawWebSocket ws = RawWebSocket.connect(net, "127.0.0.1", port, "/ws", token).toCompletionStage()
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    return new WsProbe(ws);
  }

  void send(String text) throws Exception {
    ws.send(text).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  JsonNode next() throws Exception {
    String text = replies.poll(20, TimeUnit.SECONDS);
    assertNotNull(text, "no reply within 20 s");
    return Json.JSON.readTree(text);
  }

  /** Sends and returns the reply, checking its type. */
  JsonNode call(String text, String type) throws Exception {
    send(text);
    JsonNode reply = next();
    assertEquals(type, reply.path("type").asText(), "reply to " + text + ": " + reply);
    return reply.get("data");
  }

  boolean awaitClosed(long millis) throws InterruptedException {
    return closed.await(millis, TimeUnit.MILLISECONDS);
  }

  boolean noReplyWithin(long millis) throws InterruptedException {
    return replies.poll(millis, TimeUnit.MILLISECONDS) == null;
  }

  @Override
  public void close() {
    ws.abort();
  }
}
