package com.gpudash.infra.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Prints the settings problems as Boot's "APPLICATION FAILED TO START" report instead of a stack trace. */
public class InvalidSettingsFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSettingsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidSettingsException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Set the variables named above in the environment or in .env (see .env.example), then start again.",
                null);
    }
}
