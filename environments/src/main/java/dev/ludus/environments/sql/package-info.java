/**
 * Text-to-SQL on real SQLite databases with execution feedback: {@code text-to-sql}.
 *
 * <p>Databases are generated from five domain templates (schools, retail, flights, clinic, league) with
 * foreign keys, NULLs, dates as text and quoted column names, each with perturbed copies; questions come from
 * seven SQL templates with paraphrases and are kept only when their gold result, found by execution on every
 * copy, is neither empty nor tied at an {@code ORDER BY … LIMIT} cut. Spider and BIRD files load the same way.
 * The agent explores with SkyRL-SQL's {@code <sql>}/{@code <observation>} protocol or answers in one turn as in
 * Reasoning-SQL, with text tags or tools; every query runs in a read-only sandbox with a watchdog. Public here
 * are the provider (registered under {@code META-INF/services}), its configuration, the enums it takes and the
 * signal keys; the rest is package-private.
 */
package dev.ludus.environments.sql;
