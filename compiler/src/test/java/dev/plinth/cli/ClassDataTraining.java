package dev.plinth.cli;

import dev.plinth.publish.Publisher;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;

/**
 * Run by the build, not by users (from the test classes, beside the finished plinth.jar, so it
 * stays out of the runtime jar): renders a platform the ways a user's renders go, in one JVM,
 * so that {@code -XX:DumpLoadedClassList} records every class they load. The build makes the
 * class-data archive {@code compiler/bin/plinth} maps from that list (see compiler/pom.xml):
 * a render of everything (evaluating every unit and filling the caches), a validate that finds
 * every unit in the cache, a render of one environment that compares files with the output
 * index, and a render that finds nothing changed; then CEL, as CRD rules and admission policies
 * use it.
 *
 * <p>Arguments: the platform root, a scratch output directory (deleted first) and the name of
 * one of its environments.
 */
public final class ClassDataTraining {
    private ClassDataTraining() {
    }

    public static void main(String[] args) {
        String root = args[0];
        Path out = Path.of(args[1]).toAbsolutePath().normalize();
        Publisher.deleteTreeQuietly(out);
        Publisher.deleteTreeQuietly(out.resolveSibling(out.getFileName() + ".plinth-cache"));
        PrintWriter quiet = new PrintWriter(Writer.nullWriter());
        String o = out.toString();
        PlinthCli.execute(quiet, quiet, "render", "-r", root, "-o", o);
        PlinthCli.execute(quiet, quiet, "validate", "-r", root, "-o", o);
        PlinthCli.execute(quiet, quiet, "render", "-r", root, "-o", o, "-e", args[2]);
        PlinthCli.execute(quiet, quiet, "render", "-r", root, "-o", o, "-e", args[2]);
        // the CEL classes, which the example platform (no CRD rules, no admission policies) does not load
        dev.plinth.check.cel.CelEnvironment.warmUp();
    }
}
