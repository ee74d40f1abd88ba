package org.bmsim.sim.machine;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.TreeMap;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.bmsim.common.BadInputException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Machine descriptions in YAML: the shipped presets and user files, bound to
 * {@link MachineDescription} and validated on load. Errors are one line: an unknown key names the
 * key, where it is, and the known keys; a missing key names it; an out-of-range value names the
 * key, its range and the value.
 */
public final class Machines {
    /** The presets shipped as resources. */
    public static final List<String> PRESETS = List.of("ideal", "digital-jq4", "pcm-joshi2020", "rram-wan2022");
    /** The machine replay and demo use by default. */
    public static final String DEFAULT = "digital-jq4";

    private static final YAMLMapper MAPPER = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // Missing and null keys are refused by checkKeys (which knows the optional blocks).
            .build();

    private Machines() {
    }

    /** A preset by name, or a YAML file when the argument is not a preset name. */
    public static MachineDescription load(String nameOrFile) {
        if (PRESETS.contains(nameOrFile)) {
            return preset(nameOrFile);
        }
        Path p = Path.of(nameOrFile);
        if (!Files.isRegularFile(p)) {
            throw new BadInputException("machine '" + nameOrFile + "' is neither a preset (" + String.join(", ", PRESETS)
                    + ") nor a readable file");
        }
        try {
            return parse(Files.readString(p, StandardCharsets.UTF_8), p.toString());
        } catch (IOException e) {
            throw new BadInputException(p + ": " + e.getMessage());
        }
    }

    public static MachineDescription preset(String name) {
        if (!PRESETS.contains(name)) {
            throw new BadInputException("unknown machine preset '" + name + "'; known: " + String.join(", ", PRESETS));
        }
        try (InputStream in = Machines.class.getResourceAsStream("presets/" + name + ".yaml")) {
            if (in == null) {
                throw new IllegalStateException("preset resource missing: " + name);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "preset " + name);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The preset's YAML text as shipped. */
    public static String presetText(String name) {
        preset(name);
        try (InputStream in = Machines.class.getResourceAsStream("presets/" + name + ".yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses and validates YAML text; {@code source} names it in errors. */
    public static MachineDescription parse(String yaml, String source) {
        try {
            return parseChecked(yaml, source);
        } catch (BadInputException e) {
            // every message quotes parts of the file (keys, values): keep it one line of bounded length
            throw new BadInputException(BadInputException.excerpt(e.getMessage(), 560), e);
        }
    }

    private static MachineDescription parseChecked(String yaml, String source) {
        try {
            JsonNode tree = MAPPER.readTree(yaml);
            if (tree == null || !tree.isObject()) {
                throw new BadInputException(source + ": not a YAML mapping");
            }
            checkKeys(tree, MachineDescription.class, "", source);
            return MAPPER.treeToValue(tree, MachineDescription.class);
        } catch (UnrecognizedPropertyException e) {
            Collection<Object> known = e.getKnownPropertyIds();
            throw new BadInputException(source + ": unknown key '" + BadInputException.excerpt(e.getPropertyName()) + "'"
                    + where(e) + "; known: "
                    + known.stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")));
        } catch (JacksonException e) {
            Throwable c = e;
            while (c != null) {
                if (c instanceof BadInputException b) {
                    throw new BadInputException(source + ": " + b.getMessage());
                }
                c = c.getCause();
            }
            String msg = e.getOriginalMessage().split("\n")[0];
            throw new BadInputException(source + ": " + msg + where(e));
        }
    }

    /** Unknown keys first, then missing ones, block by block (snake_case of the record components). */
    private static void checkKeys(JsonNode node, Class<?> type, String path, String source) {
        RecordComponent[] comps = type.getRecordComponents();
        Map<String, RecordComponent> known = new TreeMap<>();
        for (RecordComponent c : comps) {
            known.put(snake(c.getName()), c);
        }
        String in = path.isEmpty() ? " (top level)" : " (in " + BadInputException.excerpt(path) + ")";
        for (String k : node.propertyNames()) {
            if (!known.containsKey(k)) {
                throw new BadInputException(source + ": unknown key '" + BadInputException.excerpt(k) + "'" + in + "; known: "
                        + String.join(", ", known.keySet()));
            }
        }
        for (Map.Entry<String, RecordComponent> e : known.entrySet()) {
            JsonNode v = node.get(e.getKey());
            boolean optional = e.getValue().isAnnotationPresent(MachineDescription.OptionalKey.class);
            if (optional && (v == null || v.isNull())) {
                continue;
            }
            if (v == null || v.isNull()) {
                throw new BadInputException(source + ": missing key '" + e.getKey() + "'" + in);
            }
            Class<?> t = e.getValue().getType();
            if (t.isRecord()) {
                if (!v.isObject()) {
                    throw new BadInputException(source + ": '" + e.getKey() + "'" + in + " must be a mapping");
                }
                checkKeys(v, t, path.isEmpty() ? e.getKey() : path + "." + e.getKey(), source);
            }
        }
    }

    private static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static String where(JacksonException e) {
        String path = e.getPath().stream().map(r -> r.getPropertyName() == null ? "[" + r.getIndex() + "]" : r.getPropertyName())
                .collect(Collectors.joining("."));
        int dot = path.lastIndexOf('.');
        String parent = dot < 0 ? "" : path.substring(0, dot);
        return parent.isEmpty() ? " (top level)" : " (in " + parent + ")";
    }

    /** The description as YAML (for the run folder). */
    public static String toYaml(MachineDescription m) {
        return MAPPER.writeValueAsString(m);
    }
}
