package com.gpudash.agent.nginx;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Where the generated routes go and how nginx is asked to check and load them.
 *
 * @param routesFile the file the main configuration {@code include}s inside its {@code server} block
 * @param testCommand checks the whole configuration, such as {@code nginx -t}; exit status 0 means valid
 * @param reloadCommand makes the running nginx read its configuration again, such as {@code nginx -s reload}
 * @param commandTimeout for each of the two commands
 */
public record NginxSettings(Path routesFile, List<String> testCommand, List<String> reloadCommand, Duration commandTimeout) {

    public NginxSettings {
        routesFile = routesFile.toAbsolutePath();
        testCommand = List.copyOf(testCommand);
        reloadCommand = List.copyOf(reloadCommand);
    }

    /** Settings from configured command lines ({@code NGINX_TEST_COMMAND}, {@code NGINX_RELOAD_COMMAND}). */
    public static NginxSettings of(Path routesFile, String testCommandLine, String reloadCommandLine) {
        return new NginxSettings(routesFile, CommandLine.split(testCommandLine), CommandLine.split(reloadCommandLine),
                Duration.ofSeconds(30));
    }
}
