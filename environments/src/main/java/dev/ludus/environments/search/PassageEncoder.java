package dev.ludus.environments.search;

import java.util.List;

/**
 * A text embedding model for {@code search-qa}'s dense and hybrid retrieval ({@code retrieval: dense|hybrid},
 * {@code encoder: NAME}): texts in, one vector each out, compared by cosine similarity in Lucene's vector index.
 *
 * <p>Registration: list the class in {@code META-INF/services/dev.ludus.environments.search.PassageEncoder} of a
 * plugin jar (loaded with {@code ./ludus --plugins}); it needs a public no-argument constructor. Ludus ships no
 * encoder of its own: {@code examples/minilm-encoder} registers {@code all-minilm-l6-v2}.
 *
 * <p>Contract. {@link #encode} is <b>blocking</b> (in-process inference): the environment calls it on the run's
 * worker threads only ({@code PluginContext.blocking} for a query, the command's thread for the corpus, once per
 * run), never on an event loop. It returns one vector per text, in order, each of {@link #dimension()} finite
 * floats (at most 1024, Lucene's limit); they need not be normalised. A vector of zeros matches nothing.
 *
 * <p>Life-cycle and threads: the service loader makes an instance when a run asks for the encoder by name, so the
 * constructor must be cheap (load the model on first use); the run owns that instance, calls it from several
 * worker threads at once (it must be thread-safe), and closes it when the run ends.
 */
public interface PassageEncoder extends AutoCloseable {
  /** The name a configuration gives as {@code encoder}, e.g. {@code all-minilm-l6-v2}; lower case, no spaces. */
  String name();

  /** The length of every vector. */
  int dimension();

  /** Embeds passages (a title line, then the text), one vector each, in order. Blocking. */
  List<float[]> encode(List<String> texts);

  /**
   * Embeds a search query. Blocking. By default as {@link #encode} does; an asymmetric model (E5's
   * {@code query:}/{@code passage:} prefixes) overrides it.
   */
  default float[] encodeQuery(String query) {
    return encode(List.of(query)).get(0);
  }

  /** Releases the model. By default nothing to release. */
  @Override
  default void close() {}
}
