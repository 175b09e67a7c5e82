package com.gpudash.infra.config;

import java.util.List;
import java.util.stream.Collectors;

/** Start-up stops with every problem at once, so an operator fixes them in one go. */
public class InvalidSettingsException extends RuntimeException {

    private final List<SettingsProblem> problems;

    public InvalidSettingsException(List<SettingsProblem> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    public List<SettingsProblem> problems() {
        return problems;
    }

    static String describe(List<SettingsProblem> problems) {
        return "The configuration has " + problems.size() + (problems.size() == 1 ? " problem" : " problems") + ":\n"
                + problems.stream().map(p -> "  - " + p).collect(Collectors.joining("\n"));
    }
}
