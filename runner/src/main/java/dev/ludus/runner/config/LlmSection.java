package dev.ludus.runner.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.ConfigException;
import dev.ludus.api.chat.ChatEndpoint;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A run configuration's {@code llm:} section: the chat endpoints it declares by name, so that agents, simulated
 * users and judges name an endpoint ({@code judge}, {@code user-model}) rather than repeat it, and share one client
 * per endpoint. Each entry is a {@link ChatEndpoint}: {@code baseUrl} and {@code model} are required, the other
 * fields left out keep their defaults:
 * <pre>
 *   judge: {baseUrl: http://127.0.0.1:8000/v1, model: Qwen/Qwen2.5-7B-Instruct, maxConcurrency: 16}
 *   user-model: {baseUrl: https://api.example.com/v1, model: small, apiKeyEnv: EXAMPLE_API_KEY}
 * </pre>
 * Stateless.
 */
public final class LlmSection {
  private static final ObjectReader STRICT = Json.YAML.reader().with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private LlmSection() {}

  /** The endpoints of {@code source} (a YAML or JSON file, or the same inline); empty for null or blank. */
  public static Map<String, ChatEndpoint> read(String source) {
    if (source == null || source.isBlank()) {
      return Map.of();
    }
    String text = PluginConfigs.sourceText(source, "llm section", "");
    try {
      return of(Json.YAML.readTree(text));
    } catch (JsonProcessingException e) {
      throw new ConfigException("the llm section is not valid YAML or JSON: " + Json.problem(e));
    }
  }

  /** The endpoints of a parsed section (a mapping of name to endpoint fields); empty for null or missing. */
  public static Map<String, ChatEndpoint> of(JsonNode section) {
    if (section == null || section.isNull() || section.isMissingNode()) {
      return Map.of();
    }
    if (!section.isObject()) {
      throw new ConfigException("the llm section must map names to endpoints, e.g. {judge: {baseUrl: ..., model: ...}},"
          + " was " + section.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    }
    Map<String, ChatEndpoint> endpoints = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = section.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      endpoints.put(entry.getKey(), endpoint(entry.getKey(), entry.getValue()));
    }
    return Map.copyOf(endpoints);
  }

  private static ChatEndpoint endpoint(String name, JsonNode fields) {
    if (!name.matches("[a-z][a-z0-9]*(-[a-z0-9]+)*")) {
      throw new ConfigException("llm." + name + ": names are kebab-case (e.g. 'judge', 'user-model')");
    }
    if (!fields.isObject()) {
      throw new ConfigException("llm." + name + " must be a mapping of endpoint fields (baseUrl, model, apiKeyEnv, "
          + "limits), was " + fields.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    }
    for (String required : new String[] {"baseUrl", "model"}) {
      if (!fields.hasNonNull(required)) {
        throw new ConfigException("llm." + name + " needs '" + required + "' (e.g. {baseUrl: http://127.0.0.1:8000/v1, "
            + "model: Qwen/Qwen2.5-1.5B-Instruct}); the other fields have defaults");
      }
    }
    ObjectNode tree = Json.YAML.valueToTree(ChatEndpoint.defaults());
    tree.setAll((ObjectNode) fields);
    try {
      return STRICT.treeToValue(tree, ChatEndpoint.class);
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigException("llm." + name + " has no field '" + e.getPropertyName() + "'; its fields are "
          + Arrays.stream(ChatEndpoint.class.getRecordComponents()).map(c -> c.getName())
              .collect(Collectors.joining(", ")));
    } catch (JsonProcessingException e) {
      Throwable cause = e.getCause();
      String why = cause instanceof ConfigException ce ? ce.getMessage() : e.getOriginalMessage();
      throw new ConfigException("llm." + name + ": " + why);
    } catch (ConfigException e) {
      throw new ConfigException("llm." + name + ": " + e.getMessage());
    }
  }
}
