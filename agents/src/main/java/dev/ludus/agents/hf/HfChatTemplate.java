package dev.ludus.agents.hf;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.agents.djl.PromptRenderer;
import dev.ludus.api.Message;
import dev.ludus.api.Role;
import dev.ludus.api.ToolCall;
import dev.ludus.api.ToolSpec;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import jinjava.javax.el.CompositeELResolver;

/**
 * A model's own Jinja {@code chat_template} (from {@code tokenizer_config.json}), rendered with Jinjava the way
 * Transformers' {@code apply_chat_template} renders it with Python's Jinja2: {@code trim_blocks} and
 * {@code lstrip_blocks} on, {@code {{-}} and {@code -}}} trimming, natural operator precedence, Python's string methods
 * ({@link PythonStrings}), {@code tojson} as {@code json.dumps(ensure_ascii=False)} ({@link PythonJson}),
 * {@code raise_exception} and {@code strftime_now}; the few Python-only constructs Jinjava does not parse are
 * rewritten first ({@code xs[::-1]} to {@code xs|reverse}, and each keyword argument of {@code namespace(...)} is
 * parenthesized so that {@code last=messages|length - 1} binds as in Python).
 *
 * <p>Variables: {@code messages} (each with {@code role}, {@code content}, an assistant's {@code tool_calls} as
 * {@code {id, type: function, function: {name, arguments}}} with the arguments as a JSON object when they parse as
 * one, a tool result's {@code tool_call_id} and {@code name}), {@code tools} in OpenAI's form
 * ({@code {type: function, function: {name, description, parameters}}}), {@code add_generation_prompt},
 * {@code bos_token}, {@code eos_token} and any extra variables given. The rendered text is tokenized with
 * special tokens recognized (so {@code <|im_start|>} is one id), as Transformers does.
 *
 * <p>Immutable and thread-safe (Jinjava renders concurrently).
 */
final class HfChatTemplate implements PromptRenderer {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String template;
  private final Map<String, Object> variables;
  private final LmTokenizer tokenizer;
  private final Jinjava jinjava;

  HfChatTemplate(String template, Map<String, Object> variables, LmTokenizer tokenizer) {
    this.template = rewrite(Objects.requireNonNull(template, "template"));
    this.variables = Map.copyOf(variables);
    this.tokenizer = tokenizer;
    CompositeELResolver resolver = new CompositeELResolver();
    resolver.add(new PythonStrings());
    resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_WRITE);
    jinjava = new Jinjava(JinjavaConfig.newBuilder()
        .withTrimBlocks(true)
        .withLstripBlocks(true)
        .withElResolver(resolver)
        .withLegacyOverrides(LegacyOverrides.newBuilder()
            .withUseTrimmingForNotesAndExpressions(true)
            .withUseNaturalOperatorPrecedence(true)
            .withParseWhitespaceControlStrictly(true)
            .withKeepNullableLoopValues(true)
            .withEvaluateMapKeys(true)
            .build())
        .build());
    jinjava.getGlobalContext().registerFilter(new ToJson());
    jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception", HfChatTemplate.class,
        "raiseException", String.class));
    jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "strftime_now", HfChatTemplate.class,
        "strftimeNow", String.class));
  }

  @Override
  public int[] render(List<Message> conversation, List<ToolSpec> tools, Map<String, int[]> ownReplies) {
    return tokenizer.encode(text(conversation, tools, true));
  }

  /** The template's text for {@code conversation} with {@code tools} on offer. */
  String text(List<Message> conversation, List<ToolSpec> tools, boolean addGenerationPrompt) {
    Map<String, Object> context = new LinkedHashMap<>(variables);
    List<Object> messages = new ArrayList<>(conversation.size());
    for (Message m : conversation) {
      messages.add(message(m));
    }
    context.put("messages", messages);
    if (!tools.isEmpty()) {
      List<Object> specs = new ArrayList<>(tools.size());
      for (ToolSpec t : tools) {
        Map<String, Object> function = new LinkedHashMap<>();
        function.put("name", t.name());
        function.put("description", t.description() == null ? "" : t.description());
        function.put("parameters", json(t.parameters()));
        Map<String, Object> tool = new LinkedHashMap<>();
        tool.put("type", "function");
        tool.put("function", function);
        specs.add(tool);
      }
      context.put("tools", specs);
    }
    context.put("add_generation_prompt", addGenerationPrompt);
    RenderResult result = jinjava.renderForResult(template, context);
    List<TemplateError> fatal = result.getErrors().stream()
        .filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL).toList();
    if (!fatal.isEmpty()) {
      throw new IllegalArgumentException("the chat template failed: " + fatal.get(0).getMessage()
          + (fatal.get(0).getLineno() > 0 ? " (line " + fatal.get(0).getLineno() + ")" : ""));
    }
    return result.getOutput();
  }

  private static Map<String, Object> message(Message m) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("role", m.role().wireName());
    out.put("content", m.content());
    if (!m.toolCalls().isEmpty()) {
      List<Object> calls = new ArrayList<>();
      for (ToolCall c : m.toolCalls()) {
        Map<String, Object> function = new LinkedHashMap<>();
        function.put("name", c.name());
        Object args = json(c.arguments());
        function.put("arguments", args instanceof Map ? args : c.arguments());
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("id", c.id());
        call.put("type", "function");
        call.put("function", function);
        calls.add(call);
      }
      out.put("tool_calls", calls);
    }
    if (m.role() == Role.TOOL) {
      out.put("tool_call_id", m.toolCallId());
    }
    if (m.name() != null) {
      out.put("name", m.name());
    }
    return out;
  }

  /** A JSON text as maps and lists (keys in order), or the text itself when it is not JSON. */
  private static Object json(String text) {
    if (text == null || text.isBlank()) {
      return new LinkedHashMap<String, Object>();
    }
    try {
      return JSON.readValue(text, new TypeReference<Object>() {});
    } catch (java.io.IOException e) {
      return text;
    }
  }

  /** Rewrites the Python-only constructs Jinjava does not parse (see the class comment). */
  static String rewrite(String t) {
    String s = t.replace("[::-1]", "|reverse");
    StringBuilder out = new StringBuilder();
    int from = 0;
    for (int at = s.indexOf("namespace("); at >= 0; at = s.indexOf("namespace(", from)) {
      int open = at + "namespace(".length();
      int depth = 1;
      int i = open;
      while (i < s.length() && depth > 0) {
        char c = s.charAt(i);
        depth += c == '(' ? 1 : c == ')' ? -1 : 0;
        i++;
      }
      out.append(s, from, open);
      List<String> args = topLevel(s.substring(open, i - 1));
      for (int k = 0; k < args.size(); k++) {
        String a = args.get(k);
        int eq = a.indexOf('=');
        out.append(k > 0 ? ", " : "");
        out.append(eq > 0 ? a.substring(0, eq).strip() + "=(" + a.substring(eq + 1).strip() + ")" : a.strip());
      }
      out.append(')');
      from = i;
    }
    return out.append(s.substring(from)).toString();
  }

  private static List<String> topLevel(String args) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    char quote = 0;
    for (int i = 0; i < args.length(); i++) {
      char c = args.charAt(i);
      if (quote != 0) {
        quote = c == quote ? 0 : quote;
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        depth--;
      } else if (c == ',' && depth == 0) {
        out.add(args.substring(start, i));
        start = i + 1;
      }
    }
    if (!args.substring(start).isBlank()) {
      out.add(args.substring(start));
    }
    return out;
  }

  /** The template's {@code raise_exception(message)}: the render fails with the template's message. */
  public static String raiseException(String message) {
    throw new IllegalArgumentException("the chat template raised: " + message);
  }

  /** The template's {@code strftime_now(format)} for the common directives (%d %b %B %m %Y %y). */
  public static String strftimeNow(String format) {
    LocalDate today = LocalDate.now();
    return format.replace("%d", String.format("%02d", today.getDayOfMonth()))
        .replace("%b", today.format(DateTimeFormatter.ofPattern("MMM", Locale.ENGLISH)))
        .replace("%B", today.format(DateTimeFormatter.ofPattern("MMMM", Locale.ENGLISH)))
        .replace("%m", String.format("%02d", today.getMonthValue()))
        .replace("%Y", String.valueOf(today.getYear()))
        .replace("%y", String.format("%02d", today.getYear() % 100));
  }

  /** {@code tojson} as Python's {@code json.dumps(x, ensure_ascii=False)}, with {@code indent=N}. */
  private static final class ToJson implements Filter {
    @Override
    public String getName() {
      return "tojson";
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
      return filter(var, interpreter, args, Map.of());
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
      Object indent = kwargs.get("indent");
      if (indent == null && args.length > 0) {
        indent = args[0];
      }
      return PythonJson.dumps(var, indent == null ? -1 : Integer.parseInt(indent.toString()));
    }
  }
}
