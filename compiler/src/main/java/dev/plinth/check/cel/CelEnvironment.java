package dev.plinth.check.cel;

import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CEL environment of the Kubernetes API server, as far as Plinth evaluates it: the standard
 * functions and macros, the strings, sets, math, lists, two-variable comprehension and
 * optional-type extensions of CEL-Java, {@link KubernetesLibrary} and {@link NetworkLibrary}.
 * Shared by the CRD rules ({@link CrdRules}) and the admission
 * policies. Compilers are kept per set of declared variables; a compiled {@link Expression} is
 * immutable and may be evaluated on many threads at once.
 */
public final class CelEnvironment {
    static final CelOptions OPTIONS = CelOptions.current()
            .enableHeterogeneousNumericComparisons(true)
            .enableOptionalSyntax(true)
            .comprehensionMaxIterations(100_000)
            .build();

    private static final Map<Map<String, CelType>, CelCompiler> COMPILERS = new ConcurrentHashMap<>();

    private CelEnvironment() {
    }

    private static final class Runtime {
        static final CelRuntime RUNTIME = CelRuntimeFactory.plannerRuntimeBuilder()
                .setOptions(OPTIONS)
                .addLibraries(CelExtensions.strings(), CelExtensions.optional(), CelExtensions.sets(OPTIONS), CelExtensions.math(),
                        CelExtensions.lists(), CelExtensions.comprehensions())
                .addFunctionBindings(KubernetesLibrary.bindings())
                .addFunctionBindings(NetworkLibrary.bindings())
                .build();
    }

    private static CelCompiler compiler(Map<String, CelType> vars) {
        return COMPILERS.computeIfAbsent(Map.copyOf(vars), v -> {
            var b = CelCompilerFactory.standardCelCompilerBuilder()
                    .setOptions(OPTIONS)
                    .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                    .addLibraries(CelExtensions.strings(), CelExtensions.optional(), CelExtensions.sets(OPTIONS), CelExtensions.math(),
                            CelExtensions.lists(), CelExtensions.comprehensions())
                    .addFunctionDeclarations(KubernetesLibrary.declarations())
                    .addFunctionDeclarations(NetworkLibrary.declarations());
            v.forEach(b::addVar);
            return b.build();
        });
    }

    /** Why an expression failed to evaluate, worded like the API server's CEL errors ("no such key: x"). */
    public static final class EvaluationError extends Exception {
        EvaluationError(String message) {
            super(message);
        }
    }

    /**
     * A compiled expression, or the reason it does not compile; {@code unsupported} names the
     * variable of the API server's environment that Plinth does not provide (the authorizer) when
     * that is the reason.
     */
    public record Expression(String text, CelRuntime.Program program, String error, String unsupported) {
        public boolean compiled() {
            return program != null;
        }

        public Object eval(Map<String, ?> vars) throws EvaluationError {
            try {
                return program.eval(vars);
            } catch (CelEvaluationException e) {
                throw new EvaluationError(evaluationMessage(e));
            } catch (RuntimeException e) {
                throw new EvaluationError(String.valueOf(e.getMessage()));
            }
        }
    }

    /** Compiles (parses and type-checks) {@code text} with these variables declared. */
    public static Expression compile(String text, Map<String, CelType> vars) {
        try {
            return new Expression(text, Runtime.RUNTIME.createProgram(compiler(vars).compile(text).getAst()), null, null);
        } catch (CelValidationException e) {
            String unsupported = null;
            for (var issue : e.getErrors()) {
                Matcher m = UNDECLARED.matcher(issue.getMessage());
                if (m.find() && UNSUPPORTED.contains(m.group(1))) unsupported = m.group(1);
            }
            String m = e.getErrors().isEmpty() ? e.getMessage() : e.getErrors().get(0).getMessage();
            return new Expression(text, null, m, unsupported);
        } catch (CelEvaluationException | RuntimeException e) {
            return new Expression(text, null, String.valueOf(e.getMessage()), null);
        }
    }

    /** What the API server's environment has and Plinth's does not. */
    private static final Set<String> UNSUPPORTED = Set.of("authorizer");
    private static final Pattern UNDECLARED = Pattern.compile("undeclared reference to '([^']+)'");

    /**
     * Compiles and evaluates a few expressions that use the standard library, the macros, the
     * extensions and the Kubernetes functions, so that their classes are loaded: the build's
     * class-data training calls it, which puts them in the archive the CLI maps at start (the
     * first CEL expression of a run otherwise costs about half a second of class loading).
     */
    public static void warmUp() {
        Map<String, CelType> vars = Map.of("self", MapType.create(
                SimpleType.STRING, SimpleType.DYN));
        Expression e = compile("has(self.a) && self.a.lowerAscii().split('-').join('') == 'ab' && [1, 2].all(i, i > 0)"
                + " && !format.dns1123Label().validate(self.a).hasValue() && quantity('1Gi').isGreaterThan(quantity('1Mi'))"
                + " && self.?b.orValue(1) == 1 && sets.contains([1], [1]) && self.a.matches('^[a-z-]+$')", vars);
        try {
            e.eval(Map.of("self", Map.of("a", "a-b")));
        } catch (EvaluationError ignored) {
            // only the classes matter
        }
    }

    private static final Pattern AT = Pattern.compile("^evaluation error(?: at [^:]*:\\d+)?: ");
    private static final Pattern NO_KEY = Pattern.compile("key '(.*)' is not present in map\\.?");

    static String evaluationMessage(CelEvaluationException e) {
        String m = AT.matcher(String.valueOf(e.getMessage())).replaceFirst("");
        Matcher k = NO_KEY.matcher(m);
        if (k.matches()) return "no such key: " + k.group(1);
        if (m.startsWith("No matching overload")) return "no such overload: " + m;
        return m;
    }
}
