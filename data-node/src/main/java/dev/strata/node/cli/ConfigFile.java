package dev.strata.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import picocli.CommandLine;

/**
 * {@code serve --config strata.toml}: serve's settings from a TOML file, one key per long option
 * without its dashes ({@code port = 7700}, {@code data-dir = "/var/lib/strata"}) and the tier
 * settings in a table ({@code [tier-settings]}, {@code "wasm.memory.max-pages" = 512}). It is
 * picocli's default-value provider, so a flag on the command line overrides the file, and the
 * file overrides the built-in defaults. An unknown key or a value that is not a scalar is an error
 * naming it.
 */
final class ConfigFile implements CommandLine.IDefaultValueProvider {
    static final String TIER_SETTINGS = "tier-settings";
    /** Options the file cannot set: the file itself, and what only makes sense on a command line. */
    private static final List<String> NOT_SETTINGS = List.of("config", "print-config", "help", "version");

    private final Path file;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> tierSettings = new LinkedHashMap<>();

    private ConfigFile(Path file) { this.file = file; }

    /** Reads {@code file} and checks its keys against {@code serve}'s options. */
    static ConfigFile load(Path file, CommandLine.Model.CommandSpec serve) {
        ConfigFile c = new ConfigFile(file);
        JsonNode root;
        try {
            root = new TomlMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new StrataMain.CliException(2, "cannot read the config file " + file + ": " + firstLine(e.getMessage()));
        }
        List<String> known = settings(serve);
        for (var e : root.properties()) {
            String key = e.getKey();
            JsonNode v = e.getValue();
            if (key.equals(TIER_SETTINGS)) {
                if (!v.isObject()) throw new StrataMain.CliException(2, file + ": [" + TIER_SETTINGS + "] must be a table of NAME = VALUE");
                for (var t : v.properties()) c.tierSettings.put(t.getKey(), scalar(file, TIER_SETTINGS + "." + t.getKey(), t.getValue()));
                continue;
            }
            if (!known.contains(key)) {
                throw new StrataMain.CliException(2, file + ": unknown setting '" + key + "'; the settings are " + String.join(", ", known)
                        + " and [" + TIER_SETTINGS + "]");
            }
            c.values.put(key, scalar(file, key, v));
        }
        return c;
    }

    /** The keys a config file may hold: serve's long options without dashes, in --help order. */
    static List<String> settings(CommandLine.Model.CommandSpec serve) {
        List<String> out = new ArrayList<>();
        for (CommandLine.Model.OptionSpec o : serve.options()) {
            String key = o.longestName().replaceFirst("^--", "");
            if (!NOT_SETTINGS.contains(key) && !key.equals("tier-setting")) out.add(key);
        }
        return out;
    }

    private static String scalar(Path file, String key, JsonNode v) {
        if (v.isValueNode() && !v.isNull()) return v.asText();
        throw new StrataMain.CliException(2, file + ": '" + key + "' must be a string, number or boolean");
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse(s);
    }

    @Override
    public String defaultValue(CommandLine.Model.ArgSpec arg) {
        if (arg instanceof CommandLine.Model.OptionSpec o) return values.get(o.longestName().replaceFirst("^--", ""));
        return null;
    }

    /** The file's tier settings; the command line's --tier-setting entries win over them. */
    Map<String, String> tierSettings() { return tierSettings; }

    Path file() { return file; }

    /** Every setting that the file may hold, as TOML, with the values in effect (tokens hidden). */
    static String print(Map<String, String> effective, Map<String, String> tierSettings) {
        StringBuilder b = new StringBuilder("# strata serve settings in effect (flags > config file > defaults)\n");
        effective.forEach((k, v) -> {
            if (v == null) b.append("# ").append(k).append(" = (not set)\n");
            else b.append(k).append(" = ").append(toml(k, v)).append('\n');
        });
        b.append("\n[").append(TIER_SETTINGS).append("]\n");
        for (String k : new TreeSet<>(tierSettings.keySet())) b.append('"').append(k).append("\" = ").append(toml(k, tierSettings.get(k))).append('\n');
        return b.toString();
    }

    private static String toml(String key, String v) {
        if (key.endsWith("-token")) return "\"<hidden>\"";
        if (v.matches("-?[0-9]+") || v.equals("true") || v.equals("false")) return v;
        return '"' + v.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
