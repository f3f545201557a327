package dev.ludus.runner.export;

import dev.ludus.api.ConfigException;
import java.util.List;

/**
 * The field names of the OpenRLHF formats (its {@code --data.input_key}, {@code --data.output_key},
 * {@code --prompt_key}, {@code --chosen_key}, {@code --rejected_key}). Immutable and thread-safe.
 *
 * @param input openrlhf-sft: the opening messages
 * @param output openrlhf-sft: the messages after them
 * @param prompt openrlhf-dpo: the opening messages the pair shares
 * @param chosen openrlhf-dpo: the preferred episode's messages after the opening
 * @param rejected openrlhf-dpo: the other episode's
 */
public record ExportKeys(String input, String output, String prompt, String chosen, String rejected) {
  public ExportKeys {
    for (String k : List.of(input, output, prompt, chosen, rejected)) {
      if (k == null || k.isBlank() || !k.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new ConfigException("an export key must be a name of letters, digits and '_' (not starting with a "
            + "digit); got '" + k + "'");
      }
    }
    if (input.equals(output)) {
      throw new ConfigException("--input-key and --output-key must differ; both are '" + input + "'");
    }
    if (prompt.equals(chosen) || prompt.equals(rejected) || chosen.equals(rejected)) {
      throw new ConfigException("--prompt-key, --chosen-key and --rejected-key must differ; got '" + prompt + "', '"
          + chosen + "', '" + rejected + "'");
    }
  }

  /** OpenRLHF's usual names: {@code input}, {@code output}, {@code prompt}, {@code chosen}, {@code rejected}. */
  public static ExportKeys defaults() {
    return new ExportKeys("input", "output", "prompt", "chosen", "rejected");
  }
}
