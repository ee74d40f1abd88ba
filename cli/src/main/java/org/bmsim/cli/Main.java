package org.bmsim.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.bmsim.common.BadInputException;
import picocli.CommandLine;

/**
 * Entry point of the {@code bmsim} command. Exit codes: 0 success, 2 bad input or usage (one line
 * on stderr naming the problem), 1 internal error (one line; the stack trace with {@code --debug}).
 */
public final class Main {
    public static final int OK = 0;
    public static final int INTERNAL_ERROR = 1;
    public static final int BAD_INPUT = 2;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams; returns the exit code (used by tests too). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        boolean debug = Arrays.asList(args).contains("--debug");
        CommandLine cl = new CommandLine(new BmsimCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, a) -> {
            String msg = oneLine(ex.getMessage());
            if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
                    && !u.getCommandLine().getSubcommands().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
                msg = "unknown command '" + u.getUnmatched().get(0) + "'";
            }
            err.println("bmsim: error: " + msg + hint(ex.getCommandLine()));
            if (debug) {
                ex.printStackTrace(err);
            }
            err.flush();
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            Throwable e = ex;
            if (e instanceof BadInputException || e instanceof CommandLine.ParameterException) {
                err.println("bmsim: error: " + oneLine(e.getMessage()));
                if (debug) {
                    e.printStackTrace(err);
                }
                err.flush();
                return BAD_INPUT;
            }
            if (e instanceof UncheckedIOException) {
                err.println("bmsim: error: " + oneLine(e.getMessage()));
            } else {
                err.println("bmsim: internal error: " + e.getClass().getSimpleName() + ": " + oneLine(e.getMessage())
                        + (debug ? "" : " (rerun with --debug for the stack trace)"));
            }
            if (debug) {
                e.printStackTrace(err);
            }
            err.flush();
            return INTERNAL_ERROR;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private static String hint(CommandLine cmd) {
        String name = cmd == null ? "bmsim" : cmd.getCommandSpec().qualifiedName();
        return " (see '" + name + " --help')";
    }

    static String oneLine(String s) {
        if (s == null) {
            return "(no message)";
        }
        String first = s.strip().lines().findFirst().orElse("");
        return first.isEmpty() ? "(no message)" : first;
    }
}
