package com.gpudash.infra.config;

/** One thing wrong with one variable, said so that the operator knows what to change. */
public record SettingsProblem(String variable, String message) {

    @Override
    public String toString() {
        return variable + ": " + message;
    }
}
