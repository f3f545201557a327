package dev.ludus.agents.serve;

import dev.ludus.agents.djl.ChatCompletions;
import dev.ludus.api.ConfigException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code ludus serve}: an OpenAI-compatible HTTP server in front of a {@link ChatCompletions} (a djl-lm checkpoint or
 * a fresh model), so that any OpenAI client (Ludus's own {@code openai} agent and chat client included) can talk to a
 * Ludus policy.
 *
 * <p>Endpoints: {@code POST /v1/chat/completions} (also {@code /chat/completions}) with {@code n}, {@code seed},
 * {@code temperature}, {@code top_p}, {@code max_tokens} (or {@code max_completion_tokens}), {@code stop},
 * {@code tools} and {@code tool_choice} (rendered by the djl-lm chat template), {@code logprobs} and
 * {@code top_logprobs} (OpenAI's shape), and vLLM's {@code return_token_ids} ({@code prompt_token_ids} at the top,
 * {@code token_ids} per choice) and {@code return_tokens_as_token_ids}; {@code GET /v1/models}; {@code GET /health}.
 * Streaming is refused (400). Errors use OpenAI's {@code {"error": {...}}} shape with 400, 401, 404 or 503.
 *
 * <p>Design: the event loop only routes requests, hands chat bodies to the completions' one batching worker, and writes
 * responses. The worker parses a body and renders and tokenizes its prompt when it can admit it (while it gathers a
 * burst, or between decoding steps), and generates: the requests of every connection meet in one running batch, per
 * decoding step (a request arriving while a batch decodes joins it at the next step). The completions and the answer
 * are built and serialised on the server's one answer thread, off the worker. Binding: loopback ({@code 127.0.0.1}) by
 * default; any other host requires a bearer token, which every request must then carry ({@code Authorization:
 * Bearer TOKEN}).
 *
 * <p>Thread-safety: thread-safe. Life-cycle: {@link #start} blocks until it listens (never call it on an event
 * loop); {@link #close()} stops listening and closes the Vert.x it made (never a borrowed one), but not the
 * completions, whose owner closes them. Idempotent.
 */
public final class ModelServer implements AutoCloseable {
  private final Vertx vertx;
  private final boolean ownsVertx;
  private final HttpServer server;
  private final java.util.concurrent.ExecutorService answers;
  private final Options options;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * How the server listens and answers.
   *
   * @param host the interface to bind; a loopback address by default ({@code 127.0.0.1})
   * @param port the port; 0 picks a free one
   * @param modelName the model name it serves ({@code model} in requests and {@code /v1/models})
   * @param token the bearer token every request must carry, or null for none; required when {@code host} is not a
   *     loopback address
   * @param defaultMaxTokens the tokens a completion may generate when the request does not say, at least 1
   * @param maxN the largest {@code n} a request may ask for, 1 to 128
   */
  public record Options(String host, int port, String modelName, String token, int defaultMaxTokens, int maxN) {
    public Options {
      host = host == null || host.isBlank() ? "127.0.0.1" : host.trim();
      if (port < 0 || port > 65535) {
        throw new ConfigException("serve: port must be in 0..65535 (0 picks a free one), was " + port);
      }
      if (modelName == null || modelName.isBlank()) {
        throw new ConfigException("serve: the served model name must not be blank");
      }
      token = token == null || token.isBlank() ? null : token;
      if (token == null && !isLoopback(host)) {
        throw new ConfigException("serve: --host " + host + " is not a loopback address; binding it needs --token "
            + "(a bearer token every request must carry), or bind 127.0.0.1");
      }
      if (defaultMaxTokens < 1) {
        throw new ConfigException("serve: the default max_tokens must be at least 1, was " + defaultMaxTokens);
      }
      if (maxN < 1 || maxN > 128) {
        throw new ConfigException("serve: the largest n must be in 1..128, was " + maxN);
      }
    }

    /** Loopback on a free port, no token, 64 tokens by default, n up to 16. */
    public static Options loopback(String modelName) {
      return new Options("127.0.0.1", 0, modelName, null, 64, 16);
    }

    /** These options with {@code token}. */
    public Options withToken(String token) {
      return new Options(host, port, modelName, token, defaultMaxTokens, maxN);
    }

    static boolean isLoopback(String host) {
      if (host.equals("localhost")) {
        return true;
      }
      try {
        return InetAddress.getByName(host).isLoopbackAddress();
      } catch (UnknownHostException e) {
        return false;
      }
    }
  }

  private ModelServer(Vertx vertx, boolean ownsVertx, ChatCompletions completions,
      ChatCompletionsHandler.Completer completer, Options options) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.options = options;
    this.answers = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "serve-answers");
      t.setDaemon(true);
      return t;
    });
    ChatCompletionsHandler handler = new ChatCompletionsHandler(completions, completer, answers, options);
    this.server = vertx.createHttpServer(new HttpServerOptions().setHost(options.host()).setPort(options.port())
        .setCompressionSupported(false)).requestHandler(handler::handle);
  }

  /**
   * Starts serving {@code completions} on {@code vertx} (null: a Vert.x of its own); blocks until it listens.
   *
   * @throws IllegalStateException if it cannot listen (the port is taken)
   */
  public static ModelServer start(Vertx vertx, ChatCompletions completions, Options options) {
    Objects.requireNonNull(completions, "completions");
    return start(vertx, completions, completions::complete, options);
  }

  /** {@link #start} asking {@code completer} for the completions (tests wrap {@link ChatCompletions#complete}). */
  static ModelServer start(Vertx vertx, ChatCompletions completions, ChatCompletionsHandler.Completer completer,
      Options options) {
    Objects.requireNonNull(options, "options");
    boolean owns = vertx == null;
    ModelServer s = new ModelServer(owns ? Vertx.vertx() : vertx, owns, completions, completer, options);
    try {
      s.server.listen().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      s.close();
      throw new IllegalStateException("serve: cannot listen on " + options.host() + ":" + options.port() + ": " + e, e);
    }
    return s;
  }

  /** The port it listens on. */
  public int port() {
    return server.actualPort();
  }

  /** The base URL an OpenAI client uses: {@code http://HOST:PORT/v1}. */
  public String baseUrl() {
    String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
    return "http://" + host + ":" + port() + "/v1";
  }

  /** The options it was started with. */
  public Options options() {
    return options;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      server.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // closing anyway
    } finally {
      answers.shutdown();
      if (ownsVertx) {
        try {
          vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          // closing anyway
        }
      }
    }
  }
}
