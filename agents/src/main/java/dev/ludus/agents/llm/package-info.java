/** The {@code llm} agent: a model behind a chat endpoint named in the run's {@code llm:} section (a seat's opponent). */
package dev.ludus.agents.llm;
