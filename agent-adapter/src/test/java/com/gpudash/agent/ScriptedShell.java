package com.gpudash.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A {@link HostShell} that answers each command with a result set by the test and records what was run. */
public final class ScriptedShell implements HostShell {

    private final Map<List<String>, ShellResult> answers = new HashMap<>();
    private final List<List<String>> ran = new ArrayList<>();

    public ScriptedShell answer(List<String> command, ShellResult result) {
        answers.put(List.copyOf(command), result);
        return this;
    }

    public List<List<String>> ran() {
        return ran;
    }

    @Override
    public ShellResult run(SshTarget target, List<String> command, Duration timeout) {
        ran.add(List.copyOf(command));
        ShellResult answer = answers.get(command);
        if (answer == null) {
            throw new AssertionError("the test did not expect " + command);
        }
        return answer;
    }

    @Override
    public void forget(SshTarget target) {
    }

    @Override
    public void close() {
    }
}
