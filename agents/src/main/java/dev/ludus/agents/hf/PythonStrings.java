package dev.ludus.agents.hf;

import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * Python's string methods on Java strings inside a Jinja template ({@code content.startswith('<tool_response>')},
 * {@code split}, {@code strip}, {@code lstrip}, {@code rstrip}, {@code upper}, {@code lower}, {@code replace},
 * {@code title}), which chat templates written for Python's Jinja2 call and Jinjava does not know. Resolves only
 * method calls on strings; everything else goes to the next resolver. Stateless.
 */
final class PythonStrings extends ELResolver {

  @Override
  public Object invoke(ELContext context, Object base, Object method, Class<?>[] types, Object[] params) {
    if (!(base instanceof String s) || method == null) {
      return null;
    }
    String a = params != null && params.length > 0 && params[0] != null ? params[0].toString() : null;
    Object result;
    switch (method.toString()) {
      case "startswith" -> result = a != null && s.startsWith(a);
      case "endswith" -> result = a != null && s.endsWith(a);
      case "strip" -> result = strip(s, a, true, true);
      case "lstrip" -> result = strip(s, a, true, false);
      case "rstrip" -> result = strip(s, a, false, true);
      case "split" -> result = split(s, a);
      case "upper" -> result = s.toUpperCase(java.util.Locale.ROOT);
      case "lower" -> result = s.toLowerCase(java.util.Locale.ROOT);
      case "title" -> result = title(s);
      case "replace" -> result = params.length > 1 && a != null ? s.replace(a, String.valueOf(params[1])) : s;
      default -> {
        return null;
      }
    }
    context.setPropertyResolved(true);
    return result;
  }

  static String strip(String s, String chars, boolean left, boolean right) {
    String set = chars == null ? " \t\n\r\u000b\f" : chars;
    int i = 0;
    int j = s.length();
    while (left && i < j && set.indexOf(s.charAt(i)) >= 0) {
      i++;
    }
    while (right && j > i && set.indexOf(s.charAt(j - 1)) >= 0) {
      j--;
    }
    return s.substring(i, j);
  }

  static List<String> split(String s, String separator) {
    List<String> out = new ArrayList<>();
    if (separator == null) {
      for (String part : s.strip().split("\\s+")) {
        if (!part.isEmpty()) {
          out.add(part);
        }
      }
      return out;
    }
    int from = 0;
    for (int at = s.indexOf(separator); at >= 0; at = s.indexOf(separator, from)) {
      out.add(s.substring(from, at));
      from = at + separator.length();
    }
    out.add(s.substring(from));
    return out;
  }

  private static String title(String s) {
    StringBuilder b = new StringBuilder(s.length());
    boolean start = true;
    for (char c : s.toCharArray()) {
      b.append(start ? Character.toUpperCase(c) : Character.toLowerCase(c));
      start = !Character.isLetter(c);
    }
    return b.toString();
  }

  @Override
  public Object getValue(ELContext context, Object base, Object property) {
    return null;
  }

  @Override
  public Class<?> getType(ELContext context, Object base, Object property) {
    return null;
  }

  @Override
  public void setValue(ELContext context, Object base, Object property, Object value) {}

  @Override
  public boolean isReadOnly(ELContext context, Object base, Object property) {
    return true;
  }

  @Override
  public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
    return null;
  }

  @Override
  public Class<?> getCommonPropertyType(ELContext context, Object base) {
    return null;
  }
}
