package dev.ludus.runner.serve;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A minimal WebSocket client over a raw TCP socket (RFC 6455: the handshake, masked text frames, pongs), for the
 * load benchmark and the tests: unlike a full client it can also die the ways real peers die, by dropping the TCP
 * connection without a close frame ({@link #abort}) or by going silent with the connection open, answering no ping
 * ({@link #goSilent}: OpenEnv PR#1000's half-open peer). Confined to its socket's context, but for {@link #textHandler}, which may be set from any thread.
 */
final class RawWebSocket {
  private final NetSocket socket;
  private Buffer pending = Buffer.buffer();
  private Handler<String> onText; // until set, messages wait in early
  private final java.util.List<String> early = new java.util.ArrayList<>();
  private Handler<Void> onClose = v -> { }; // guarded by this
  private boolean isClosed; // guarded by this
  private boolean silent;

  private RawWebSocket(NetSocket socket) {
    this.socket = socket;
  }

  /** Connects and completes the handshake on {@code path}; {@code token} (or null) goes as a bearer token. */
  static Future<RawWebSocket> connect(NetClient client, String host, int port, String path, String token) {
    Promise<RawWebSocket> p = Promise.promise();
    client.connect(port, host).onFailure(p::fail).onSuccess(so -> {
      RawWebSocket ws = new RawWebSocket(so);
      byte[] key = new byte[16];
      ThreadLocalRandom.current().nextBytes(key);
      StringBuilder req = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
          + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
          + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n");
      if (token != null) {
        req.append("Authorization: Bearer ").append(token).append("\r\n");
      }
      req.append("\r\n");
      boolean[] upgraded = new boolean[1];
      so.handler(b -> {
        if (upgraded[0]) {
          ws.read(b);
          return;
        }
        ws.pending.appendBuffer(b);
        String head = ws.pending.toString(StandardCharsets.ISO_8859_1);
        int end = head.indexOf("\r\n\r\n");
        if (end < 0) {
          return;
        }
        if (!head.startsWith("HTTP/1.1 101")) {
          so.close();
          p.tryFail(new IllegalStateException("handshake refused: " + head.substring(0, head.indexOf('\r'))));
          return;
        }
        upgraded[0] = true;
        Buffer rest = ws.pending.getBuffer(end + 4, ws.pending.length());
        ws.pending = Buffer.buffer();
        p.tryComplete(ws);
        if (rest.length() > 0) {
          ws.read(rest);
        }
      });
      so.closeHandler(v -> {
        p.tryFail(new IllegalStateException("closed during the handshake"));
        ws.closed();
      });
      so.write(req.toString());
    });
    return p.future();
  }

  /** Where text messages go; those that came before it was set are handed to it first. */
  RawWebSocket textHandler(Handler<String> h) {
    java.util.List<String> waiting;
    synchronized (this) {
      this.onText = h;
      waiting = new java.util.ArrayList<>(early);
      early.clear();
    }
    waiting.forEach(h::handle);
    return this;
  }

  private void text(String t) {
    Handler<String> h;
    synchronized (this) {
      h = onText;
      if (h == null) {
        early.add(t);
        return;
      }
    }
    h.handle(t);
  }

  /**
   * What to run when the connection closes; run at once if it closed already (a server that refuses the session
   * right after the handshake can close it before the caller gets here).
   */
  RawWebSocket closeHandler(Handler<Void> h) {
    boolean already;
    synchronized (this) {
      this.onClose = h;
      already = isClosed;
    }
    if (already) {
      h.handle(null);
    }
    return this;
  }

  private void closed() {
    Handler<Void> h;
    synchronized (this) {
      isClosed = true;
      h = onClose;
    }
    h.handle(null);
  }

  /** Sends one text message in one masked frame. */
  Future<Void> send(String text) {
    return socket.write(frame(0x1, text.getBytes(StandardCharsets.UTF_8)));
  }

  /** Drops the TCP connection without a close frame. */
  void abort() {
    socket.close();
  }

  /** Stops reading and answering pings, leaving the connection open. */
  void goSilent() {
    silent = true;
    socket.pause();
  }

  /** Closes cleanly: a close frame, then the connection. */
  void closeCleanly() {
    socket.write(frame(0x8, new byte[] {0x03, (byte) 0xE8})).onComplete(v -> socket.close());
  }

  private void read(Buffer b) {
    if (silent) {
      return;
    }
    pending.appendBuffer(b);
    while (true) {
      int n = pending.length();
      if (n < 2) {
        return;
      }
      int b0 = pending.getUnsignedByte(0);
      int b1 = pending.getUnsignedByte(1);
      long len = b1 & 0x7F;
      int header = 2;
      if (len == 126) {
        if (n < 4) {
          return;
        }
        len = pending.getUnsignedShort(2);
        header = 4;
      } else if (len == 127) {
        if (n < 10) {
          return;
        }
        len = pending.getLong(2);
        header = 10;
      }
      if (n < header + len) {
        return;
      }
      byte[] payload = pending.getBytes(header, (int) (header + len));
      pending = pending.getBuffer((int) (header + len), n);
      int opcode = b0 & 0x0F;
      if (opcode == 0x1 || opcode == 0x0) {
        text(new String(payload, StandardCharsets.UTF_8));
      } else if (opcode == 0x9) {
        socket.write(frame(0xA, payload));
      } else if (opcode == 0x8) {
        socket.close();
        return;
      }
    }
  }

  private static Buffer frame(int opcode, byte[] payload) {
    Buffer f = Buffer.buffer(payload.length + 14);
    f.appendByte((byte) (0x80 | opcode));
    if (payload.length < 126) {
      f.appendByte((byte) (0x80 | payload.length));
    } else if (payload.length < 65536) {
      f.appendByte((byte) (0x80 | 126)).appendUnsignedShort(payload.length);
    } else {
      f.appendByte((byte) (0x80 | 127)).appendLong(payload.length);
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    f.appendBytes(mask);
    byte[] masked = new byte[payload.length];
    for (int i = 0; i < payload.length; i++) {
      masked[i] = (byte) (payload[i] ^ mask[i & 3]);
    }
    return f.appendBytes(masked);
  }
}
