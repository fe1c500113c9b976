package dev.plinth.definitions;

import scala.Option;
import scala.Tuple2;
import scala.collection.immutable.Map$;
import scala.util.Either;
import scala.runtime.BoxedUnit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.plinth.values.SmallMap;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Evaluates Jsonnet with sjsonnet. Imports go through an {@link Evaluation}, which only resolves
 * files inside the library roots; anything else (an absolute path elsewhere, {@code ../} out of
 * the roots) fails the evaluation with a clear message. Parsed files are cached across
 * evaluations.
 */
public final class JsonnetEngine {
    private static final Pattern FRAME = Pattern.compile("\\(([^()\\s]+):(\\d+):(\\d+)\\)");

    private final Library library;
    /**
     * What evaluations reuse: parsed files and the standard library object. Neither is safe to
     * share between threads (parsed trees and objects cache values in plain maps), so each lane
     * serves one evaluation at a time. An evaluation takes the first free lane, and a new lane
     * is made only when all are busy: a render with few changed units parses the library once
     * rather than once per thread, and a full render gets a lane per thread. The standard
     * library object is sjsonnet's default built once per lane (sjsonnet builds one per
     * interpreter, a sixth of the time of evaluating a unit); it holds no state of an evaluation
     * ({@code std.thisFile} is not cached and {@code std.extVar} reads the interpreter's own
     * variables).
     */
    private static final class Lane {
        final ReentrantLock lock = new ReentrantLock();
        final sjsonnet.ParseCache parsed = new sjsonnet.DefaultParseCache();
        sjsonnet.Val.Obj std;
    }

    private final List<Lane> lanes = new CopyOnWriteArrayList<>();

    /** How many lanes there are (at least one). */
    public int lanes() {
        return Math.max(1, lanes.size());
    }

    /** The first free lane, locked; a new one when every lane is busy, unless {@code orNull}: then null. */
    private Lane acquireLane(boolean orNull) {
        for (Lane lane : lanes) if (lane.lock.tryLock()) return lane;
        if (orNull && !lanes.isEmpty()) return null;
        Lane lane = new Lane();
        lane.lock.lock();
        lanes.add(lane);
        return lane;
    }

    /** A failed evaluation: message plus the library file position of the innermost frame. */
    public static final class EvaluationError extends Exception {
        private final String file;
        private final int line;
        private final int column;

        EvaluationError(String message, String file, int line, int column) {
            super(message, null, false, false);
            this.file = file;
            this.line = line;
            this.column = column;
        }

        /** Display path of the library file where it failed, or null. */
        public String file() {
            return file;
        }

        public int line() {
            return line;
        }

        public int column() {
            return column;
        }

        /** "FILE:LINE:COL: message" or just the message. */
        public String describe() {
            return file == null ? getMessage() : file + ":" + line + ":" + column + ": " + getMessage();
        }
    }

    private final EvaluationLimits limits;

    public JsonnetEngine(Library library) {
        this(library, EvaluationLimits.fromSystemProperties());
    }

    public JsonnetEngine(Library library, EvaluationLimits limits) {
        this.library = library;
        this.limits = limits;
    }

    /**
     * sjsonnet's evaluator, counting nested expressions against the depth limit and checking the
     * time limit every 1,024 expressions: both fail as Jsonnet errors at the expression, so the
     * message names the definition's file and line.
     */
    private static final class LimitedEvaluator extends sjsonnet.Evaluator {
        private final EvaluationLimits limits;
        private final long deadline;
        private int depth;
        private int ticks;
        String exceeded;

        LimitedEvaluator(sjsonnet.CachedResolver resolver, scala.Function1<String, Option<sjsonnet.Expr>> extVars, sjsonnet.Path wd,
                         sjsonnet.Settings settings, scala.Function1<sjsonnet.Error, BoxedUnit> warn, EvaluationLimits limits, long deadline) {
            super(resolver, extVars, wd, settings, warn);
            this.limits = limits;
            this.deadline = deadline;
        }

        @Override
        public sjsonnet.Val visitExpr(sjsonnet.Expr e, sjsonnet.Lazy[] scope) {
            if ((++ticks & 0x3ff) == 0 && System.nanoTime() - deadline > 0) {
                exceeded = timeMessage(limits);
                sjsonnet.Error.fail(exceeded, e, this);
            }
            if (++depth > limits.maxDepth()) {
                depth = 0; // the error unwinds every level
                exceeded = "evaluation nested deeper than " + limits.maxDepth() + " expressions (infinite recursion?); raise -D"
                        + EvaluationLimits.DEPTH_PROPERTY + " if the definition needs it";
                sjsonnet.Error.fail(exceeded, e, this);
            }
            try {
                return super.visitExpr(e, scope);
            } finally {
                depth--;
            }
        }
    }

    private static String timeMessage(EvaluationLimits limits) {
        return "evaluation took longer than " + limits.timeoutMillis() / 1000 + " s (an endless loop or a huge value?); raise -D"
                + EvaluationLimits.TIMEOUT_PROPERTY + " if the definition needs it";
    }

    public Library library() {
        return library;
    }

    /** A result and the library files the evaluation imported (virtual paths, sorted). */
    public record Tracked(Object value, SortedSet<String> imports) {
    }

    /**
     * The virtual file a driver reads its unit's data from ({@code std.parseJson(importstr ...)}),
     * given per evaluation. Data as JSON rather than as Jsonnet literals in
     * the program: sjsonnet's Jsonnet parser is several times slower than its JSON reader, and
     * drivers without literals are the same text for many units, so they are parsed once.
     */
    public static final String UNIT_DATA = Library.DRIVERS + "/unit.json";

    private final Map<String, String> driverIds = new ConcurrentHashMap<>();

    /** A short name for a driver's text (a hash, computed once per distinct driver: there are few). */
    public String driverId(String driver) {
        return driverIds.computeIfAbsent(driver, d -> Library.sha256(d).substring(0, 32));
    }

    /** Evaluates a driver program with its unit data and records which library files it imported. */
    public Tracked evaluateTracked(String driver, String data) throws EvaluationError {
        return evaluateTracked(driver, data, false);
    }

    /**
     * The same, but only when a lane with parsed files is free: null, without evaluating, when
     * every lane is busy. A caller with other work can do that first rather than parse the
     * library once more for a lane of its own.
     */
    public Tracked evaluateTrackedIfLaneFree(String driver, String data) throws EvaluationError {
        return evaluateTracked(driver, data, true);
    }

    private Tracked evaluateTracked(String driver, String data, boolean onlyOnAFreeLane) throws EvaluationError {
        Lane lane = acquireLane(onlyOnAFreeLane);
        if (lane == null) return null;
        Evaluation evaluation = new Evaluation(data, new TreeSet<>());
        return new Tracked(evaluate(lane, driver, evaluation), evaluation.imports);
    }

    /** Evaluates a driver program to plain Java values (Map, List, String, Long, Double, Boolean, null). */
    public Object evaluate(String program) throws EvaluationError {
        return evaluate(program, null);
    }

    /**
     * Evaluates a driver program; {@code data} (JSON, or null) is what it reads from {@link #UNIT_DATA}.
     * A driver's virtual path is named by its text, so each lane's parse cache parses each
     * distinct driver once.
     */
    public Object evaluate(String driver, String data) throws EvaluationError {
        return evaluate(acquireLane(false), driver, new Evaluation(data, null));
    }

    /**
     * sjsonnet's default settings (Settings.default, which Java cannot name), given by value:
     * preserveOrder, strict, noStaticErrors, noDuplicateKeysInComprehension, strictImportSyntax
     * and strictInheritedAssertions all off. A version of sjsonnet with other settings does not
     * compile against this, rather than passing whatever a compiler-generated default method
     * returns.
     */
    static final sjsonnet.Settings SETTINGS = new sjsonnet.Settings(false, false, false, false, false, false);

    /** Evaluates on a lane this thread holds, and frees it. */
    private Object evaluate(Lane lane, String driver, Evaluation evaluation) throws EvaluationError {
        try {
            String driverPath = Library.DRIVERS + "/d-" + driverId(driver) + ".jsonnet";
            library.putDriver(driverPath, driver);
            if (lane.std == null) lane.std = withRootLocale(new sjsonnet.Std().Std());
            long deadline = System.nanoTime() + limits.timeoutMillis() * 1_000_000L;
            // no position store (null, sjsonnet's default); warnings are dropped
            sjsonnet.Interpreter interpreter = new sjsonnet.Interpreter(
                    emptyMap(), emptyMap(), new LibPath(Library.DRIVERS, library), evaluation,
                    lane.parsed, SETTINGS, null,
                    (scala.Function1<String, BoxedUnit>) s -> BoxedUnit.UNIT,
                    lane.std) {
                @Override
                public sjsonnet.Evaluator createEvaluator(sjsonnet.CachedResolver resolver, scala.Function1<String, Option<sjsonnet.Expr>> extVars,
                                                          sjsonnet.Path wd, sjsonnet.Settings settings, scala.Function1<sjsonnet.Error, BoxedUnit> warn) {
                    return new LimitedEvaluator(resolver, extVars, wd, settings, warn, limits, deadline);
                }
            };
            EvaluationLimits.Watch watch = EvaluationLimits.watch(deadline);
            Either<String, ujson.Value> result;
            try {
                boolean finished = false;
                try {
                    result = interpreter.interpret(driver, new LibPath(driverPath, library));
                    finished = true;
                } finally {
                    if (EvaluationLimits.unwatch(watch) && finished) {
                        // stopped just as it finished: the ThreadDeath is on its way, taken below
                        while (true) Thread.onSpinWait();
                    }
                }
            } catch (ThreadDeath stopped) {
                lanes.remove(lane); // its parse cache may be half-updated
                // stopped inside a built-in: no position to give; the caller names the component and its type
                throw new EvaluationError(timeMessage(limits), null, 0, 0);
            }
            if (result.isLeft()) throw error(result.left().get(), evaluation);
            return toJava(result.right().get());
        } catch (OutOfMemoryError e) {
            throw new EvaluationError("ran out of memory (a huge value?)", null, 0, 0);
        } catch (StackOverflowError e) {
            throw new EvaluationError("stack overflow (infinite recursion in a definition?)", null, 0, 0);
        } catch (Library.LibraryError e) {
            throw new EvaluationError(e.getMessage(), null, 0, 0);
        } catch (RuntimeException e) {
            Throwable c = e;
            while (c != null && !(c instanceof Library.LibraryError)) c = c.getCause();
            if (c != null) throw new EvaluationError(c.getMessage(), null, 0, 0);
            throw e;
        } finally {
            lane.lock.unlock();
        }
    }

    /**
     * The standard library with {@code asciiLower} and {@code asciiUpper} that change only ASCII
     * letters, as their names say: sjsonnet's follow the JVM's locale ({@code "TITLE-I"} became
     * {@code "tıtle-ı"} under a Turkish one). An object over sjsonnet's, overriding the two.
     */
    static sjsonnet.Val.Obj withRootLocale(sjsonnet.Val.Obj std) {
        LinkedHashMap<String, sjsonnet.Val$Obj$Member> members = new LinkedHashMap<>();
        members.put("asciiLower", hidden(new AsciiCase(false)));
        members.put("asciiUpper", hidden(new AsciiCase(true)));
        return new sjsonnet.Val.Obj(std.pos(), members, false, null, std, new scala.collection.mutable.HashMap<>(), null);
    }

    private static sjsonnet.Val$Obj$Member hidden(sjsonnet.Val value) {
        return new sjsonnet.Val$Obj$ConstMember(false, sjsonnet.Expr$Member$Visibility$Hidden$.MODULE$, value, true);
    }

    /** {@code std.asciiLower} or {@code std.asciiUpper}: A-Z and a-z only, whatever the locale. */
    private static final class AsciiCase extends sjsonnet.Val.Builtin1 {
        private final boolean upper;

        AsciiCase(boolean upper) {
            super("str", null);
            this.upper = upper;
        }

        @Override
        public sjsonnet.Val evalRhs(sjsonnet.Val str, sjsonnet.EvalScope ev, sjsonnet.Position pos) {
            char[] c = str.asString().toCharArray();
            for (int i = 0; i < c.length; i++) {
                if (upper && c[i] >= 'a' && c[i] <= 'z') c[i] -= 32;
                else if (!upper && c[i] >= 'A' && c[i] <= 'Z') c[i] += 32;
            }
            return new sjsonnet.Val.Str(pos, new String(c));
        }
    }

    private static EvaluationError error(String formatted, Evaluation evaluation) {
        String[] lines = formatted.split("\n");
        String message = lines[0].replaceFirst("^sjsonnet\\.(Error|ParseError|StaticError): ", "").trim();
        if (evaluation.libraryError != null) message = evaluation.libraryError;
        if (!evaluation.escapes.isEmpty() && message.contains("import")) {
            message = message + " (imports resolve only inside the library roots: "
                    + String.join(", ", evaluation.escapes) + " is outside)";
        }
        // the innermost frame that names a library file (drivers are Plinth's own glue)
        for (String l : lines) {
            Matcher m = FRAME.matcher(l);
            if (m.find() && !m.group(1).equals("<driver>")) {
                return new EvaluationError(message, m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
            }
        }
        Matcher m = FRAME.matcher(message);
        if (m.find() && !m.group(1).equals("<driver>")) {
            return new EvaluationError(message.replace(m.group(0), "").trim(), m.group(1),
                    Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        }
        return new EvaluationError(message, null, 0, 0);
    }

    /**
     * One evaluation: the importer sjsonnet resolves and reads its imports through, and what the
     * evaluation needs besides its program: its unit data, the library files it imported (when
     * tracked), the imports it refused and a library file it could not use (for the message).
     * Made for each evaluation and used by its thread only.
     */
    private final class Evaluation extends sjsonnet.Importer {
        /** What {@link #UNIT_DATA} holds, or null. */
        final String data;
        /** The files read through imports, and those that would win an import were they added; null: not tracked. */
        final SortedSet<String> imports;
        /** Imports refused for leaving the library roots. */
        final Set<String> escapes = new TreeSet<>();
        /** Why a library file could not be used (a link out of the roots): sjsonnet reports it as "Internal Error". */
        String libraryError;

        Evaluation(String data, SortedSet<String> imports) {
            this.data = data;
            this.imports = imports;
        }

        @Override
        public Option<sjsonnet.Path> resolve(sjsonnet.Path docBase, String importName) {
            try {
                return resolveIn(docBase, importName);
            } catch (Library.LibraryError e) {
                libraryError = e.getMessage();
                throw e;
            }
        }

        private Option<sjsonnet.Path> resolveIn(sjsonnet.Path docBase, String importName) {
            if (importName.equals(UNIT_DATA)) return Option.apply(new LibPath(UNIT_DATA, library));
            List<String> candidates = new ArrayList<>();
            if (importName.startsWith("/")) {
                candidates.add(normalize(importName));
            } else {
                candidates.add(normalize(((LibPath) docBase).path() + "/" + importName));
                for (String root : library.roots()) candidates.add(normalize(root + "/" + importName));
            }
            for (String c : candidates) {
                if (c != null && library.read(c).isPresent()) return Option.apply(new LibPath(c, library));
                // a file that would win this import if it were added is read too, as absent: adding
                // it must change the result's cache key (it hashes as "" while it is missing)
                if (imports != null && c != null && library.insideRoots(c)) imports.add(c);
            }
            String first = candidates.get(0);
            if (first == null || !library.insideRoots(first)) escapes.add(importName);
            return Option.empty();
        }

        @Override
        public Option<sjsonnet.ResolvedFile> read(sjsonnet.Path path) {
            if (((LibPath) path).path().equals(UNIT_DATA)) {
                return data == null ? Option.empty() : Option.apply(new sjsonnet.StaticResolvedFile(data));
            }
            if (imports != null) imports.add(((LibPath) path).path());
            Optional<String> text;
            try {
                text = library.read(((LibPath) path).path());
            } catch (Library.LibraryError e) {
                libraryError = e.getMessage();
                throw e;
            }
            return text
                    .<Option<sjsonnet.ResolvedFile>>map(s -> Option.apply(new sjsonnet.StaticResolvedFile(s)))
                    .orElse(Option.empty());
        }
    }

    /** Resolves "." and ".."; null when ".." climbs above "/". */
    private static String normalize(String path) {
        List<String> out = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..")) {
                if (out.isEmpty()) return null;
                out.remove(out.size() - 1);
            } else {
                out.add(part);
            }
        }
        return "/" + String.join("/", out);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static scala.collection.immutable.Map<String, String> emptyMap() {
        return (scala.collection.immutable.Map) Map$.MODULE$.empty();
    }

    /** ujson to plain Java; integral numbers become Long so YAML shows {@code 2}, not {@code 2.0}. */
    static Object toJava(ujson.Value v) {
        if (v instanceof ujson.Obj o) {
            Map<String, Object> m = new SmallMap(o.value().size());
            scala.collection.Iterator<Tuple2<String, ujson.Value>> it = o.value().iterator();
            while (it.hasNext()) {
                Tuple2<String, ujson.Value> e = it.next();
                m.put(e._1(), toJava(e._2()));
            }
            return m;
        }
        if (v instanceof ujson.Arr a) {
            List<Object> l = new ArrayList<>(a.value().size());
            scala.collection.Iterator<ujson.Value> it = a.value().iterator();
            while (it.hasNext()) l.add(toJava(it.next()));
            return l;
        }
        if (v instanceof ujson.Str s) return s.value();
        if (v instanceof ujson.Num n) {
            double d = n.value();
            if (d == Math.rint(d) && Math.abs(d) < 9.007199254740992E15) return (long) d;
            return d;
        }
        if (v == ujson.True$.MODULE$) return Boolean.TRUE;
        if (v == ujson.False$.MODULE$) return Boolean.FALSE;
        return null;
    }
}
