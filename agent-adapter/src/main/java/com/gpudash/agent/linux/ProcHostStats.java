package com.gpudash.agent.linux;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.gpudash.agent.HostProbeException;
import com.gpudash.agent.HostShell;
import com.gpudash.agent.HostStats;
import com.gpudash.agent.HostStatsSample;
import com.gpudash.agent.ShellResult;
import com.gpudash.agent.SshTarget;

/**
 * {@link HostStats} of a Linux server read through a {@link HostShell} from {@code getconf}, {@code /proc} and GNU
 * {@code df}, in one round trip so a poll of many servers costs one command each.
 */
public final class ProcHostStats implements HostStats {

    /**
     * The measured path is the script's positional parameter {@code $1}, never part of the script text, so no path
     * can change what runs. Sections are separated by marker lines the parser looks for.
     */
    private static final String SCRIPT = "getconf _NPROCESSORS_ONLN && echo @@ "
            + "&& cat /proc/loadavg && echo @@ "
            + "&& cat /proc/meminfo && echo @@ "
            + "&& df -P -B1 -- \"$1\"";
    private static final Pattern LOADAVG = Pattern.compile("(\\S+) (\\S+) (\\S+) .*");
    private static final Pattern MEMINFO = Pattern.compile("(\\w+):\\s+(\\d+) kB");
    // Filesystem and mount point may hold spaces; the four numbers between them cannot.
    private static final Pattern DF = Pattern.compile(".*?\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+\\d+%\\s+.*");
    private static final long KIB = 1024;

    private final HostShell shell;
    private final Duration timeout;

    public ProcHostStats(HostShell shell, Duration timeout) {
        this.shell = Objects.requireNonNull(shell, "shell");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public HostStatsSample sample(SshTarget target, String diskPath) {
        if (!diskPath.startsWith("/")) {
            throw new IllegalArgumentException("the measured path must be absolute: " + diskPath);
        }
        ShellResult result = shell.run(target, List.of("sh", "-c", SCRIPT, "sh", diskPath), timeout);
        if (!result.succeeded()) {
            throw new HostProbeException("reading the load of " + target.host() + " failed with exit status "
                    + result.exitCode() + ": " + result.stderr().strip());
        }
        try {
            return parse(result.stdout());
        } catch (RuntimeException e) {
            throw new HostProbeException("the load of " + target.host() + " cannot be read: " + e.getMessage()
                    + "; output was: " + result.stdout(), e);
        }
    }

    static HostStatsSample parse(String output) {
        String[] sections = output.split("(?m)^@@\\R");
        if (sections.length != 4) {
            throw new IllegalArgumentException("expected 4 sections, got " + sections.length);
        }
        int cores = Integer.parseInt(sections[0].strip());
        Matcher load = matching(LOADAVG, sections[1].strip(), "/proc/loadavg");

        Map<String, Long> memory = new HashMap<>();
        for (String line : sections[2].split("\\R")) {
            Matcher entry = MEMINFO.matcher(line.strip());
            if (entry.matches()) {
                memory.put(entry.group(1), Long.parseLong(entry.group(2)) * KIB);
            }
        }
        long total = required(memory, "MemTotal");
        long available = required(memory, "MemAvailable");

        String[] df = sections[3].strip().split("\\R");
        Matcher disk = matching(DF, df[df.length - 1], "df");

        return new HostStatsSample(cores,
                Double.parseDouble(load.group(1)), Double.parseDouble(load.group(2)), Double.parseDouble(load.group(3)),
                total, total - available,
                Long.parseLong(disk.group(1)), Long.parseLong(disk.group(2)));
    }

    private static Matcher matching(Pattern pattern, String text, String source) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("unexpected " + source + " line: " + text);
        }
        return matcher;
    }

    private static long required(Map<String, Long> memory, String field) {
        Long value = memory.get(field);
        if (value == null) {
            throw new IllegalArgumentException("/proc/meminfo has no " + field + " (Linux 3.14 or later reports it)");
        }
        return value;
    }
}
