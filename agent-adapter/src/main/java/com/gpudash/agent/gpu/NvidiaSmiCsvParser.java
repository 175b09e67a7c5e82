package com.gpudash.agent.gpu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the CSV printed by {@code nvidia-smi --query-gpu=... --format=csv} and
 * {@code nvidia-smi --query-compute-apps=... --format=csv}, with or without {@code nounits}.
 *
 * <p>Columns are found by the header's field names, never by position: drivers differ in the fields they know,
 * and other tools ask for other field lists. Header names may carry a unit ({@code memory.total [MiB]}); values
 * may too ({@code 81559 MiB}) unless {@code nounits} was given. Columns this class does not read are ignored; a
 * column it does read must hold a number in the expected unit or a missing-value marker (see
 * {@link NvidiaSmiValues#isAbsent}), anything else is an error naming the line and column.
 *
 * <p>Lines may end in LF or CRLF (nvidia-smi.exe run from a Windows shell); the last newline may be missing;
 * blank lines are skipped.
 *
 * <p>Output without a header ({@code --format=csv,noheader}) cannot be read by name. It is read only as the exact
 * field order of {@link NvidiaSmiCommands#GPU_FIELDS} or {@link NvidiaSmiCommands#COMPUTE_APP_FIELDS}, or of the
 * list a caller passes to {@link #parseGpus(String, List)}; any other order fails on its first value that does not
 * fit. The first line is taken as a header when it names a field this class reads: a data row is never expected
 * to hold a value spelt exactly like one of those field names.
 */
public final class NvidiaSmiCsvParser {

    /**
     * {@code --help-query-compute-apps} lists {@code "used_gpu_memory" or "used_memory"} as one field; the fixtures'
     * header prints the first, and our query asks for the second, so both name the same column.
     */
    private static final Map<String, String> CANONICAL_FIELD_NAMES = Map.of("used_memory", "used_gpu_memory");

    private static final Set<String> GPU_FIELDS_READ = Set.copyOf(NvidiaSmiCommands.GPU_FIELDS);
    private static final Set<String> COMPUTE_APP_FIELDS_READ = Set.of("gpu_uuid", "pid", "process_name", "used_gpu_memory");

    /**
     * nvidia-smi neither quotes nor escapes values, so a comma inside a process name (Windows paths may hold one)
     * splits it into more cells than the header has columns. The process name is the only free text in a
     * compute-apps row, so surplus cells are put back into it, commas and spaces as they were.
     */
    private static final String FREE_TEXT_FIELD = "process_name";

    private static final int QUOTED_LINE_LIMIT = 120;

    private NvidiaSmiCsvParser() {
    }

    /** Reads {@link NvidiaSmiCommands#QUERY_GPUS} output, or any {@code --query-gpu} output with a header. */
    public static List<GpuSample> parseGpus(String output) {
        return parseGpus(output, NvidiaSmiCommands.GPU_FIELDS);
    }

    /**
     * @param headerlessFields the fields, in order, that the command asked for; used only when the output has no
     *     header, which is the only case where the caller's field list cannot be read from the output itself
     */
    public static List<GpuSample> parseGpus(String output, List<String> headerlessFields) {
        return parse(output, GPU_FIELDS_READ, headerlessFields, NvidiaSmiCsvParser::toGpuSample);
    }

    /** Reads {@link NvidiaSmiCommands#QUERY_COMPUTE_APPS} output; a header alone means no process is running. */
    public static List<GpuProcessSample> parseComputeApps(String output) {
        return parse(output, COMPUTE_APP_FIELDS_READ, NvidiaSmiCommands.COMPUTE_APP_FIELDS,
                NvidiaSmiCsvParser::toProcessSample);
    }

    private static GpuSample toGpuSample(Row row) {
        return new GpuSample(
                row.number("index", null, NvidiaSmiValues::toInteger),
                row.text("uuid"),
                row.text("name"),
                row.text("pci.bus_id"),
                row.text("driver_version"),
                row.number("utilization.gpu", "%", NvidiaSmiValues::toInteger),
                row.number("utilization.memory", "%", NvidiaSmiValues::toInteger),
                row.number("memory.total", "MiB", NvidiaSmiValues::mebibytesToBytes),
                row.number("memory.used", "MiB", NvidiaSmiValues::mebibytesToBytes),
                row.number("temperature.gpu", "C", NvidiaSmiValues::toInteger),
                row.number("power.draw", "W", NvidiaSmiValues::toDouble),
                row.number("power.limit", "W", NvidiaSmiValues::toDouble));
    }

    private static GpuProcessSample toProcessSample(Row row) {
        String gpuUuid = row.text("gpu_uuid");
        Long pid = row.number("pid", null, NvidiaSmiValues::toLong);
        if (gpuUuid == null || pid == null) {
            throw row.error("a process needs gpu_uuid and pid, found " + gpuUuid + " and " + pid);
        }
        return new GpuProcessSample(gpuUuid, pid, row.text("process_name"),
                row.number("used_gpu_memory", "MiB", NvidiaSmiValues::mebibytesToBytes));
    }

    private static <T> List<T> parse(String output, Set<String> fieldsRead, List<String> headerlessFields,
                                     Function<Row, T> toSample) {
        List<String> lines = output.lines().toList();
        List<T> samples = new ArrayList<>();
        Columns columns = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            List<String> cells = new ArrayList<>(Arrays.asList(line.split(",", -1)));
            if (columns == null) {
                List<String> names = cells.stream().map(NvidiaSmiCsvParser::fieldName).toList();
                if (names.stream().anyMatch(fieldsRead::contains)) {
                    columns = new Columns(names, "");
                    continue;
                }
                columns = new Columns(headerlessFields.stream().map(NvidiaSmiCsvParser::canonical).toList(),
                        " (output without a header is read as the fields " + headerlessFields + ")");
            }
            samples.add(toSample.apply(columns.row(i + 1, line, cells)));
        }
        return samples;
    }

    /** {@code "utilization.gpu [%]"} names the field {@code utilization.gpu}. */
    private static String fieldName(String headerCell) {
        return canonical(headerCell.strip().replaceFirst("\\s*\\[[^\\]]*\\]$", ""));
    }

    private static String canonical(String fieldName) {
        return CANONICAL_FIELD_NAMES.getOrDefault(fieldName, fieldName);
    }

    private static final class Columns {
        private final List<String> names;
        private final Map<String, Integer> positions = new HashMap<>();
        /** Appended to every error, since a wrong guess at the field order shows up as a bad value. */
        private final String headerlessNote;

        Columns(List<String> names, String headerlessNote) {
            this.names = names;
            this.headerlessNote = headerlessNote;
            for (int i = 0; i < names.size(); i++) {
                positions.putIfAbsent(names.get(i), i);
            }
        }

        Row row(int lineNumber, String line, List<String> cells) {
            int surplus = cells.size() - names.size();
            int freeText = names.indexOf(FREE_TEXT_FIELD);
            if (surplus > 0 && freeText >= 0) {
                List<String> pieces = cells.subList(freeText, freeText + surplus + 1);
                String rejoined = String.join(",", pieces);
                pieces.clear();
                cells.add(freeText, rejoined);
            } else if (surplus != 0) {
                String quoted = line.length() > QUOTED_LINE_LIMIT ? line.substring(0, QUOTED_LINE_LIMIT) + "..." : line;
                throw new NvidiaSmiParseException("line " + lineNumber + ": " + cells.size() + " values where "
                        + names.size() + " columns were expected" + headerlessNote + ": '" + quoted + "'");
            }
            return new Row(lineNumber, this, cells.stream().map(String::strip).toList());
        }
    }

    private record Row(int lineNumber, Columns columns, List<String> values) {

        String text(String field) {
            String value = value(field);
            return value == null ? null : NvidiaSmiValues.text(value);
        }

        <V> V number(String field, String unit, Function<String, V> convert) {
            String value = value(field);
            if (value == null) {
                return null;
            }
            try {
                String digits = NvidiaSmiValues.number(value, unit);
                return digits == null ? null : convert.apply(digits);
            } catch (IllegalArgumentException e) {
                throw new NvidiaSmiParseException("line " + lineNumber + ", column " + field + ": '" + value
                        + "' is " + e.getMessage() + columns.headerlessNote, e);
            }
        }

        NvidiaSmiParseException error(String message) {
            return new NvidiaSmiParseException("line " + lineNumber + ": " + message + columns.headerlessNote);
        }

        /** {@code null} when the output has no such column. */
        private String value(String field) {
            Integer position = columns.positions.get(field);
            return position == null ? null : values.get(position);
        }
    }
}
