/**
 * The episode codec: the one place where episodes and their parts (messages with tool calls, token traces,
 * signals, the reward ledger) become JSON and come back, for the episode store, its readers, the environment
 * server, the exporters, the cluster's wire format and users' own tools. See {@link dev.ludus.api.codec.EpisodeCodec}.
 *
 * <p>Only {@link dev.ludus.api.codec.EpisodeCodec} (with its {@link dev.ludus.api.codec.EpisodeCodec.Part}s) and
 * {@link dev.ludus.api.codec.EpisodeFormatException} are public; the Jackson serializers behind them are not API.
 */
package dev.ludus.api.codec;
