/**
 * Simulated users driven by a language model: the generic {@code llm-user} (tau2-bench's simulator) and LLM-driven
 * twins of the rule-based users that keep their hidden state and signals, updating the state from the model's
 * structured output ({@link dev.ludus.simulators.llm.StructuredOutput}, read strictly with retries; a reply still
 * malformed is a {@link dev.ludus.simulators.llm.SimulatorFailure}, which fails the episode, never the run). Every
 * user calls the run's shared chat client of a named endpoint ({@code PluginContext.chatClient(name)}) and renders
 * its prompts from Jinja templates ({@link dev.ludus.simulators.llm.PromptTemplates}).
 */
package dev.ludus.simulators.llm;
