package org.sparkmnist.benchmark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sparkmnist.BadInputException;

/**
 * The benchmark's own options; everything else is job config ({@code FILE.conf}, {@code key=value})
 * passed to every configuration alike.
 */
record BenchmarkOptions(List<Integer> frequencies, List<Integer> scales, int scaleEpochs, boolean cluster, boolean pytorch, Path report,
                        List<String> jobArgs,
                        String commandLine) {

    static final String USAGE = String.join("\n",
            "usage: submit/benchmark.sh [--frequencies F,F,...] [--scales K,K,...] [--scale-epochs N] [--no-cluster] [--no-pytorch]",
            "                           [--report FILE] [FILE.conf ...] [key=value ...]",
            "  --frequencies  averaging frequencies for the trade-off table (default 5,20,80; 'none' skips it)",
            "  --scales       training-set sizes in copies of MNIST for the scaling table, e.g. 1,4,16 (default: none)",
            "  --scale-epochs epochs of each scaling run (default 3; the table takes the median of epochs 2..N)",
            "  --no-cluster   skip (c), the two-worker standalone cluster",
            "  --no-pytorch   skip (d), the PyTorch reference (which needs Debian's python3-torch and libopenblas0-openmp)",
            "  --report       the Markdown file the tables go into (default docs/BENCHMARKS.md)");

    static BenchmarkOptions parse(List<String> args) {
        List<Integer> frequencies = List.of(5, 20, 80);
        List<Integer> scales = List.of();
        int scaleEpochs = 3;
        boolean cluster = true;
        boolean pytorch = true;
        Path report = Path.of("docs", "BENCHMARKS.md");
        List<String> jobArgs = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--frequencies" -> frequencies = numbers(arg, value(args, ++i, arg));
                case "--scales" -> scales = numbers(arg, value(args, ++i, arg));
                case "--scale-epochs" -> scaleEpochs = numbers(arg, value(args, ++i, arg)).get(0);
                case "--no-cluster" -> cluster = false;
                case "--no-pytorch" -> pytorch = false;
                case "--report" -> report = Path.of(value(args, ++i, arg));
                default -> {
                    if (arg.startsWith("--")) {
                        throw new BadInputException("unknown benchmark option " + arg + "; expected one of --frequencies, "
                                + "--scales, --scale-epochs, --no-cluster, --no-pytorch, --report");
                    }
                    jobArgs.add(arg);
                }
            }
        }
        return new BenchmarkOptions(frequencies, scales, scaleEpochs, cluster, pytorch, report, jobArgs,
                String.join(" ", prepend("submit/benchmark.sh", args)));
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new BadInputException(option + " needs a value");
        }
        return args.get(i);
    }

    private static List<Integer> numbers(String option, String list) {
        if (list.equals("none")) {
            return List.of();
        }
        List<Integer> numbers = new ArrayList<>();
        for (String item : list.split(",")) {
            try {
                int n = Integer.parseInt(item.strip());
                if (n < 1) {
                    throw new NumberFormatException();
                }
                numbers.add(n);
            } catch (NumberFormatException e) {
                throw new BadInputException(option + " expects positive integers separated by commas, got '" + list + "'");
            }
        }
        return numbers;
    }

    private static List<String> prepend(String first, List<String> rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }
}
