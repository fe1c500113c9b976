package dev.plinth.maven;

import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugin.logging.Log;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * One run of the {@code plinth} command line for a goal: in a JVM of its own (the default), as
 * {@code compiler/bin/plinth} runs it, or in Maven's. Its output goes to Maven's log line by line
 * (findings and failures as errors, warnings as warnings, the rest as information), except a
 * document on standard output (JSON findings, a diff report), which is copied to standard output
 * as it is. Its exit status becomes the goal's result as the CLI defines it: 0 success; 1 input
 * errors, stale output or a flagged risk, and 2 wrong usage, a build failure
 * ({@link MojoFailureException}); anything else, such as 3 for an internal error, an execution
 * error ({@link MojoExecutionException}).
 */
final class PlinthRun {
    /** compiler/bin/plinth's flags. */
    static final String DEFAULT_JVM_ARGS = "-XX:TieredStopAtLevel=1 -XX:+UseParallelGC -XX:MetaspaceSize=256m";
    static final String MAIN_CLASS = "dev.plinth.cli.PlinthCli";
    static final String GIT_USERNAME = "PLINTH_GIT_USERNAME";
    static final String GIT_PASSWORD = "PLINTH_GIT_PASSWORD";
    /** The CLI's exit statuses (PlinthCli): success, input errors, wrong usage. */
    static final int OK = 0;
    static final int INPUT_ERRORS = 1;
    static final int USAGE = 2;

    private static final Pattern ERROR = Pattern.compile(
            ": error(\\[[^]]*])?: |^\\d+ errors?\\b|^\\d+ stale files?\\b|^stale: |^plinth: |^\\s+at |^Caused by: |^\\s+\\.\\.\\. \\d+ more");
    private static final Pattern WARNING = Pattern.compile("(?i)\\bwarning(\\[[^]]*])?: |^\\d+ warnings?$");

    private final Log log;
    private final String command;
    private final boolean document;
    private final String silentFailure;
    private volatile String lastError;
    private volatile String plinthLine;

    PlinthRun(Log log, String command, boolean document, String silentFailure) {
        this.log = log;
        this.command = command;
        this.document = document;
        this.silentFailure = silentFailure;
    }

    void run(boolean fork, List<String> args, Map<String, String> environment, String jvm, String jvmArgs,
             File cdsDirectory, PluginDescriptor plugin) throws MojoExecutionException, MojoFailureException {
        int status = fork ? forked(args, environment, jvm, jvmArgs, cdsDirectory, plugin) : inMavensJvm(args, environment);
        if (status == OK) return;
        String why = plinthLine != null ? plinthLine : lastError != null ? lastError : silentFailure;
        if (status == INPUT_ERRORS || status == USAGE) {
            throw new MojoFailureException("plinth " + command + " failed (exit status " + status + "): " + why);
        }
        throw new MojoExecutionException("plinth " + command + " failed (exit status " + status + "): " + why);
    }

    private int forked(List<String> args, Map<String, String> environment, String jvm, String jvmArgs,
                       File cdsDirectory, PluginDescriptor plugin) throws MojoExecutionException {
        String java = jvm == null || jvm.isBlank()
                ? new File(new File(System.getProperty("java.home"), "bin"), "java").getPath() : jvm.trim();
        List<String> options = jvmArgs == null ? List.of() : Arrays.stream(jvmArgs.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
        List<String> classpath = classpath(plugin);
        ClassDataArchive archive = cdsDirectory == null || ClassDataArchive.setIn(options)
                ? null : new ClassDataArchive(cdsDirectory.toPath(), java, options, classpath);
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(options);
        if (archive != null) cmd.addAll(archive.options(log));
        cmd.addAll(List.of("-cp", String.join(File.pathSeparator, classpath), MAIN_CLASS));
        cmd.addAll(args);
        if (log.isDebugEnabled()) log.debug("plinth: " + String.join(" ", cmd));
        ProcessBuilder builder = new ProcessBuilder(cmd);
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new MojoExecutionException("cannot start " + java + " for plinth " + command + ": " + e.getMessage(), e);
        }
        Thread stop = new Thread(process::destroy, "plinth-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            Thread out = pump("plinth-out", process.getInputStream(), document ? null : this::line);
            Thread err = pump("plinth-err", process.getErrorStream(), this::line);
            int status = process.waitFor();
            out.join();
            err.join();
            return status;
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            throw new MojoExecutionException("plinth " + command + " interrupted", e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException e) {
                // Maven's JVM is shutting down: the hook stops the process
            }
        }
    }

    /**
     * The plugin's dependencies without the plugin: the runnable compiler jar
     * (plinth-compiler-VERSION-cli.jar), or what a dependency override of the plugin names; not
     * the plexus-utils that Maven adds to every plugin that lacks it.
     */
    static List<String> classpath(PluginDescriptor plugin) {
        List<String> out = new ArrayList<>();
        for (Artifact a : plugin.getArtifacts()) {
            boolean self = a.getGroupId().equals(plugin.getGroupId()) && a.getArtifactId().equals(plugin.getArtifactId());
            boolean mavens = a.getGroupId().equals("org.codehaus.plexus") && a.getArtifactId().equals("plexus-utils");
            if (!self && !mavens && a.getFile() != null) out.add(a.getFile().getAbsolutePath());
        }
        return out;
    }

    /** Copies a stream to standard output (lines == null) or hands it over line by line, on a thread of its own. */
    private static Thread pump(String name, InputStream in, Consumer<String> lines) {
        Thread t = new Thread(() -> {
            try (in) {
                if (lines == null) {
                    in.transferTo(System.out);
                    System.out.flush();
                } else {
                    BufferedReader r = new BufferedReader(new InputStreamReader(in, Charset.defaultCharset()));
                    for (String l = r.readLine(); l != null; l = r.readLine()) lines.accept(l);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The CLI in Maven's JVM (a class of its own, loaded only then). */
    private int inMavensJvm(List<String> args, Map<String, String> environment) {
        LineWriter errLines = new LineWriter(this::line);
        LineWriter outLines = new LineWriter(this::line);
        PrintWriter out = document ? new PrintWriter(System.out, true) : new PrintWriter(outLines, true);
        try {
            return InMavensJvm.execute(out, new PrintWriter(errLines, true), args, environment);
        } finally {
            out.flush();
            outLines.close();
            errLines.close();
        }
    }

    /** One line the CLI printed, to the log at the level it calls for. */
    private synchronized void line(String line) {
        if (line.startsWith("plinth: ") && plinthLine == null) plinthLine = line.substring("plinth: ".length());
        if (ERROR.matcher(line).find()) {
            log.error(line);
            if (!line.isBlank()) lastError = line.strip();
        } else if (WARNING.matcher(line).find()) log.warn(line);
        else log.info(line);
    }

    /** A writer that hands over whole lines. */
    private static final class LineWriter extends Writer {
        private final Consumer<String> lines;
        private final StringBuilder pending = new StringBuilder();

        LineWriter(Consumer<String> lines) {
            this.lines = lines;
        }

        @Override
        public synchronized void write(char[] buf, int off, int len) {
            for (int i = off; i < off + len; i++) {
                char c = buf[i];
                if (c == '\n') {
                    int end = pending.length();
                    if (end > 0 && pending.charAt(end - 1) == '\r') pending.setLength(end - 1);
                    lines.accept(pending.toString());
                    pending.setLength(0);
                } else {
                    pending.append(c);
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public synchronized void close() {
            if (pending.length() > 0) lines.accept(pending.toString());
            pending.setLength(0);
        }
    }
}
