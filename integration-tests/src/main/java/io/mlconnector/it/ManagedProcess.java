package io.mlconnector.it;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A child JVM whose output goes to a log file, stopped gracefully or killed like {@code kill -9}. */
final class ManagedProcess {

    private final String name;
    private final Path logFile;
    private final Process process;

    private ManagedProcess(String name, Path logFile, Process process) {
        this.name = name;
        this.logFile = logFile;
        this.process = process;
    }

    static ManagedProcess startJava(String name, Path classpathDir, List<String> jvmOptions, String mainClass,
                                    List<String> args, Map<String, String> environment, Path logFile)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpathDir.resolve("*").toString());
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        Process process = builder
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        return new ManagedProcess(name, logFile, process);
    }

    /** Runs a short-lived tool to completion and fails with its log when it exits non-zero. */
    static void runJava(String name, Path classpathDir, String mainClass, List<String> args, Path logFile,
                        Duration timeout) throws IOException, InterruptedException {
        ManagedProcess tool = startJava(name, classpathDir, List.of("-Xmx256m"), mainClass, args, Map.of(), logFile);
        if (!tool.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            tool.kill();
            throw new IllegalStateException(name + " did not finish within " + timeout + "; see " + logFile);
        }
        if (tool.process.exitValue() != 0) {
            throw new IllegalStateException(name + " exited with " + tool.process.exitValue() + "; see " + logFile);
        }
    }

    String name() {
        return name;
    }

    Path logFile() {
        return logFile;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, then SIGKILL if the process has not exited within the grace period. */
    void stop(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    /** SIGKILL: the process gets no chance to flush, commit or say goodbye. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
