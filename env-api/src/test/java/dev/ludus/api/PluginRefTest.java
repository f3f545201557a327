package dev.ludus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;

/** Plugin references read from a bare name or a mapping, and bind inside a configuration record. */
class PluginRefTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** A configuration that lets the user choose a simulator. */
  public record Config(int turns, PluginRef user) {
    public Config {
      user = user == null ? PluginRef.of("default-user") : user;
    }
  }

  static final Plugin<Config> PLUGIN = new Plugin<>() {
    @Override
    public String name() {
      return "chooser";
    }

    @Override
    public String description() {
      return "";
    }

    @Override
    public Class<Config> configType() {
      return Config.class;
    }

    @Override
    public Config defaultConfig() {
      return new Config(3, PluginRef.of("default-user"));
    }
  };

  @Test
  void aBareNameReadsAsAReferenceWithTheDefaults() throws Exception {
    Config c = ConfigBinder.bind(PLUGIN, JSON.readTree("{\"user\": \"other-user\"}"));
    assertEquals(PluginRef.of("other-user"), c.user());
    assertTrue(c.user().usesDefaults());
    assertEquals(3, c.turns());
  }

  @Test
  void aMappingReadsItsNameAndConfig() throws Exception {
    Config c = ConfigBinder.bind(PLUGIN, JSON.readTree("{\"user\": {\"name\": \"other-user\", \"config\": {\"a\": 1}}}"));
    assertEquals("other-user", c.user().name());
    assertEquals(1, c.user().config().get("a").asInt());
  }

  @Test
  void theDefaultsWhenNothingIsSaid() {
    assertEquals(PluginRef.of("default-user"), ConfigBinder.bind(PLUGIN, null).user());
  }

  @Test
  void aReferenceRoundTripsThroughJson() throws Exception {
    PluginRef ref = new PluginRef("x-user", JSON.readTree("{\"level\": 2}"));
    assertEquals(ref, JSON.readValue(JSON.writeValueAsString(ref), PluginRef.class));
    assertEquals(PluginRef.of("x-user"), JSON.readValue("\"x-user\"", PluginRef.class));
  }

  @Test
  void aTypedConfigBecomesItsTree() {
    PluginRef ref = PluginRef.of("chooser", new Config(5, PluginRef.of("u")));
    assertEquals(5, ref.config().get("turns").asInt());
    assertEquals("u", ref.config().get("user").get("name").asText());
  }

  @Test
  void badReferencesAreNamedWithWhatIsAllowed() throws Exception {
    ConfigException typo = assertThrows(ConfigException.class,
        () -> ConfigBinder.bind(PLUGIN, JSON.readTree("{\"user\": {\"name\": \"u\", \"confg\": {}}}")));
    assertEquals("config for 'chooser': unknown field 'user.confg'; allowed there: config, name", typo.getMessage());
    ConfigException notMapping = assertThrows(ConfigException.class,
        () -> ConfigBinder.bind(PLUGIN, JSON.readTree("{\"user\": {\"name\": \"u\", \"config\": 7}}")));
    assertEquals("config for 'chooser': user: the config of 'u' must be a mapping of fields, was 7",
        notMapping.getMessage());
    ConfigException noName = assertThrows(ConfigException.class,
        () -> ConfigBinder.bind(PLUGIN, JSON.readTree("{\"user\": {\"name\": \"\"}}")));
    assertTrue(noName.getMessage().startsWith("config for 'chooser': user: a plugin reference needs a name"),
        noName.getMessage());
    ConfigException number = assertThrows(ConfigException.class,
        () -> ConfigBinder.bind(PLUGIN, JSON.readTree("{\"user\": [1]}")));
    assertEquals("config for 'chooser': field 'user' takes a plugin's name or {name: ..., config: {...}}",
        number.getMessage());
  }
}
