package com.gpudash.agent.nginx;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.gpudash.agent.Route;
import com.gpudash.agent.RouteTable;
import com.gpudash.agent.RouteTableException;

/**
 * {@link RouteTable} as a file of nginx {@code location} blocks that the main configuration includes.
 *
 * <p>nginx can only test a whole configuration, and the real one includes the routes file by its path, so a file
 * beside it cannot be tested in its place. The new file is therefore written beside it, swapped in atomically,
 * tested, and, if the test fails, the previous file is swapped back atomically. nginx reads configuration files only
 * when it (re)loads; this class reloads it only after a passing test, and a reload by anyone else during the test
 * finds the broken file refused by nginx itself, which keeps its running configuration. So a refused table is never
 * served. Commands run without a shell.
 *
 * <p>One instance must own the file: calls are serialized here, not across processes.
 */
public final class NginxRouteTable implements RouteTable {

    private static final Set<PosixFilePermission> WORLD_READABLE = PosixFilePermissions.fromString("rw-r--r--");

    private final NginxSettings settings;
    /** The content nginx was last reloaded with by this instance; unknown (null) until the first reload. */
    private String served;

    public NginxRouteTable(NginxSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public synchronized boolean replaceAll(List<Route> routes) {
        Set<String> users = new HashSet<>();
        for (Route route : routes) {
            if (!users.add(route.username())) {
                throw new IllegalArgumentException("two routes for user " + route.username());
            }
        }
        String config = LocationBlocks.render(routes);
        Path target = settings.routesFile();
        if (config.equals(served) && config.equals(currentContent(target))) {
            return false;
        }
        Path candidate = null;
        Path previous = null;
        boolean untestedInPlace = false;
        try {
            candidate = writeBeside(target, config);
            previous = Files.exists(target) ? copyBeside(target) : null;
            Files.move(candidate, target, StandardCopyOption.ATOMIC_MOVE);
            untestedInPlace = true;
            CommandResult test = run(settings.testCommand());
            if (test.exitCode() != 0) {
                throw new RouteTableException("nginx refused the new routes (exit status " + test.exitCode()
                        + "); the previous routes stay live: " + test.output(), false, null);
            }
            untestedInPlace = false;
            CommandResult reload = run(settings.reloadCommand());
            if (reload.exitCode() != 0) {
                throw new RouteTableException("the new routes passed the test but the reload failed (exit status "
                        + reload.exitCode() + "): " + reload.output(), true, null);
            }
            served = config;
            return true;
        } catch (IOException | RuntimeException e) {
            if (untestedInPlace) {
                restore(previous, target, e);
            }
            throw e instanceof RuntimeException unchecked ? unchecked
                    : new RouteTableException("cannot replace " + target + ": " + e.getMessage(), true, e);
        } finally {
            deleteQuietly(candidate);
            deleteQuietly(previous);
        }
    }

    private static String currentContent(Path target) {
        try {
            return Files.exists(target) ? Files.readString(target, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            throw new RouteTableException("cannot read " + target + ": " + e.getMessage(), true, e);
        }
    }

    /** A new file in the target's directory, so that moving it over the target is a rename, which is atomic. */
    private static Path writeBeside(Path target, String content) throws IOException {
        Path file = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".new");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        // nginx's master may run as another user than this application; keep the file readable like the old one.
        Files.setPosixFilePermissions(file, Files.exists(target) ? Files.getPosixFilePermissions(target) : WORLD_READABLE);
        return file;
    }

    private static Path copyBeside(Path target) throws IOException {
        Path copy = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".previous");
        Files.copy(target, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        return copy;
    }

    /** Puts the previous routes back (or none, if there were none) after the new ones could not be confirmed. */
    private static void restore(Path previous, Path target, Exception failure) {
        try {
            if (previous == null) {
                Files.delete(target);
            } else {
                Files.move(previous, target, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    private CommandResult run(List<String> command) throws IOException {
        // Output goes to a file, so that a command that hangs with its output open cannot outlast the timeout.
        Path output = Files.createTempFile("gpudash-nginx-", ".out");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!process.waitFor(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new RouteTableException(String.join(" ", command) + " did not end within " + settings.commandTimeout(),
                        true, null);
            }
            return new CommandResult(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8).strip());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RouteTableException("interrupted while running " + command.get(0), true, e);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a leftover hidden temp file beside the routes is harmless; the next call makes its own
            }
        }
    }

    private record CommandResult(int exitCode, String output) {
    }
}
