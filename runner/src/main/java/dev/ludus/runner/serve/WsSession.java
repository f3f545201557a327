package dev.ludus.runner.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.serve.WireError.Code;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One WebSocket connection on {@code /ws}: OpenEnv's message loop over one {@link ServedEpisode}.
 *
 * <p>Design: messages are handled one at a time, in order (a queue holds those that arrive while a step runs),
 * each under the per-message deadline. The session holds one slot of the server from accept to {@link #end}, and
 * {@link #end} is the only way out, called on every path: a {@code close} message, the socket closing or failing,
 * the idle reaper, a peer that stopped answering pings, a missed deadline. So a slot is freed whatever way a
 * connection dies, never only on a clean close (the lesson of OpenEnv PR#1000). Confined to its context.
 */
final class WsSession {
  private static final int MAX_QUEUED = 64;
  static final Set<String> TYPES = Set.of("reset", "step", "state", "close");

  private final EnvServer server;
  private final ServerWebSocket ws;
  private final Context context;
  private final Vertx vertx;
  private final String id;
  private final ArrayDeque<String> queue = new ArrayDeque<>();
  private ServedEpisode episode;
  private boolean busy;
  private boolean ended;
  private long pingTimer = -1;
  private long lastHeardNanos = System.nanoTime();
  volatile long lastMessageNanos = System.nanoTime();

  WsSession(EnvServer server, ServerWebSocket ws, Context context, String id) {
    this.server = server;
    this.ws = ws;
    this.context = context;
    this.vertx = context.owner();
    this.id = id;
  }

  /** Takes a slot (or answers CAPACITY_REACHED and closes) and starts the loop. */
  void start() {
    ws.closeHandler(v -> end(lastClose()));
    ws.exceptionHandler(e -> end(ws.isClosed() || e instanceof io.vertx.core.http.HttpClosedException
        || String.valueOf(e.getMessage()).contains("closed") ? "disconnected" : "error:" + e.getClass().getSimpleName()));
    if (!server.slots().tryAcquire(this)) {
      ObjectNode err = errorData(Code.CAPACITY_REACHED, "the server is full: " + server.slots().active() + " of "
          + server.slots().max() + " sessions are open; close one, or start the server with a larger --max-sessions");
      err.put("active_sessions", server.slots().active());
      err.put("max_sessions", server.slots().max());
      server.metrics().refused();
      server.metrics().error(Code.CAPACITY_REACHED);
      ended = true;
      ws.writeTextMessage(envelope("error", err).toString()).onComplete(v -> ws.close((short) 1013, "capacity"));
      return;
    }
    server.metrics().opened();
    try {
      episode = new ServedEpisode(server.served(), context, id);
    } catch (WireError e) {
      send(error(e));
      end("factory_error");
      return;
    }
    ws.textMessageHandler(this::onText);
    ws.binaryMessageHandler(b -> onText(null));
    ws.pongHandler(b -> lastHeardNanos = System.nanoTime());
    long interval = server.served().options.pingIntervalMillis();
    pingTimer = vertx.setPeriodic(interval, t -> ping(interval));
  }

  private String lastClose() {
    Short code = ws.closeStatusCode();
    return code != null && code == 1009 ? "too_big" : "disconnected";
  }

  private void ping(long interval) {
    if (ended) {
      return;
    }
    if (System.nanoTime() - lastHeardNanos > 3_000_000L * interval) {
      end("unresponsive");
      return;
    }
    ws.writePing(Buffer.buffer("ludus"));
  }

  private void onText(String text) {
    if (ended) {
      return;
    }
    lastHeardNanos = System.nanoTime();
    lastMessageNanos = lastHeardNanos;
    if (queue.size() >= MAX_QUEUED) {
      send(error(new WireError(Code.SESSION_ERROR, "more than " + MAX_QUEUED + " messages wait for a reply; send "
          + "the next one after the reply to the last")));
      return;
    }
    queue.add(text == null ? "\u0000binary" : text);
    drain();
  }

  private void drain() {
    while (!busy && !ended && !queue.isEmpty()) {
      String text = queue.poll();
      busy = true;
      long t0 = System.nanoTime();
      Future<ObjectNode> reply;
      String[] type = new String[1];
      try {
        reply = handle(text, type);
      } catch (WireError e) {
        reply = Future.failedFuture(e);
      } catch (RuntimeException e) {
        reply = Future.failedFuture(new WireError(Code.EXECUTION_ERROR, ServedEpisode.describe(e)));
      }
      reply.onComplete(ar -> {
        busy = false;
        if (ended) {
          return;
        }
        if (ar.failed()) {
          Throwable c = ar.cause();
          WireError e = c instanceof WireError w ? w
              : new WireError(Code.EXECUTION_ERROR, ServedEpisode.describe(c));
          send(error(e));
          if (e.getMessage() != null && e.getMessage().startsWith(Deadline.PREFIX)) {
            end("timeout");
            return;
          }
        } else if (ar.result() != null) {
          if ("step".equals(type[0])) {
            server.metrics().step(System.nanoTime() - t0);
            if (episode.done()) {
              server.metrics().episode(episode.state().path("terminated").asBoolean() ? "completed" : "truncated");
            }
          }
          send(ar.result());
        }
        context.runOnContext(v -> drain());
      });
    }
  }

  /** The reply to one message (null: none), or a failed future with the error to send. */
  private Future<ObjectNode> handle(String text, String[] typeOut) {
    if (text.equals("\u0000binary")) {
      throw new WireError(Code.INVALID_JSON, "binary frames are not read; send each message as a JSON text frame");
    }
    JsonNode msg;
    try {
      msg = Json.JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new WireError(Code.INVALID_JSON, "the message is not valid JSON: " + e.getOriginalMessage());
    }
    if (msg == null || !msg.isObject()) {
      throw new WireError(Code.INVALID_JSON, "a message is a JSON object {\"type\": ..., \"data\": {...}}, not "
          + (msg == null ? "empty" : msg.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
    }
    JsonNode t = msg.get("type");
    String type = t != null && t.isTextual() ? t.asText() : null;
    if (type == null || !TYPES.contains(type)) {
      throw new WireError(Code.UNKNOWN_TYPE, "unknown message type " + (t == null ? "(none)" : t.toString())
          + "; allowed: reset, step, state, close" + ("mcp".equals(type) ? " (this server does not serve MCP)" : ""));
    }
    for (Iterator<String> it = msg.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!f.equals("type") && !(f.equals("data") && (type.equals("reset") || type.equals("step")))) {
        throw WireError.invalid("a " + type + " message takes no field '" + f + "'" + (type.equals("reset")
            || type.equals("step") ? "; put it under data" : ""), java.util.List.of(f), "extra_forbidden");
      }
    }
    typeOut[0] = type;
    JsonNode data = msg.get("data");
    switch (type) {
      case "reset":
        return within(() -> episode.reset(data)).map(d -> envelope("observation", d));
      case "step":
        if (data == null || data.isNull()) {
          throw WireError.invalid("a step message needs data: the action, e.g. {\"message\": \"...\"}",
              java.util.List.of("data"), "missing");
        }
        return within(() -> episode.step(data)).map(d -> envelope("observation", d));
      case "state":
        return Future.succeededFuture(envelope("state", episode.state()));
      default: // close: no reply
        end("clean");
        return Future.succeededFuture(null);
    }
  }

  private Future<ObjectNode> within(Supplier<Future<ObjectNode>> call) {
    return Deadline.within(vertx, call.get(), server.served().options.messageTimeoutMillis());
  }

  /** Frees the slot and closes everything; idempotent, and the only way a session ends. */
  void end(String reason) {
    if (ended) {
      return;
    }
    ended = true;
    if (pingTimer >= 0) {
      vertx.cancelTimer(pingTimer);
    }
    queue.clear();
    server.slots().release(this);
    server.metrics().closed(reason);
    if (episode != null) {
      episode.close();
    }
    if (!ws.isClosed()) {
      ws.close((short) (reason.equals("clean") ? 1000 : reason.equals("idle") ? 1001 : 1011), reason)
          .onFailure(e -> { });
    }
  }

  /** Ends the session on its own context (from the reaper's). */
  void endFromElsewhere(String reason) {
    context.runOnContext(v -> end(reason));
  }

  private void send(ObjectNode message) {
    if (!ws.isClosed()) {
      ws.writeTextMessage(message.toString()).onFailure(e -> { });
    }
  }

  private ObjectNode error(WireError e) {
    server.metrics().error(e.code);
    return envelope("error", errorData(e.code, e.getMessage(), e));
  }

  static ObjectNode errorData(Code code, String message) {
    return errorData(code, message, null);
  }

  private static ObjectNode errorData(Code code, String message, WireError e) {
    ObjectNode d = Json.JSON.createObjectNode();
    d.put("message", message);
    d.put("code", code.name());
    if (e != null && code == Code.VALIDATION_ERROR) {
      d.set("errors", Json.JSON.valueToTree(e.errors));
    }
    return d;
  }

  static ObjectNode envelope(String type, ObjectNode data) {
    ObjectNode m = Json.JSON.createObjectNode();
    m.put("type", type);
    m.set("data", data);
    return m;
  }

  /** Bounds a future by a deadline. */
  static final class Deadline {
    static final String PREFIX = "no reply within";

    private Deadline() {}

    static <T> Future<T> within(Vertx vertx, Future<T> f, long millis) {
      if (f.isComplete()) {
        return f;
      }
      Promise<T> p = Promise.promise();
      long timer = vertx.setTimer(millis, t -> p.tryFail(new WireError(Code.EXECUTION_ERROR, PREFIX + " " + millis
          + " ms (the per-message deadline, --message-timeout); the session is closed")));
      f.onComplete(ar -> {
        vertx.cancelTimer(timer);
        if (ar.succeeded()) {
          p.tryComplete(ar.result());
        } else {
          p.tryFail(ar.cause());
        }
      });
      return p.future();
    }
  }
}
